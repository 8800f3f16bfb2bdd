import { z } from 'zod';
import { CommonSettings } from '../../../../common/mdm.ts';

/**
 * Jamf Pro's settings and credentials, shared with the web app's forms (this file imports nothing from the
 * server, so the browser bundle can use it).
 */
export const JAMF_PRO_AUTH_METHODS = ['client_credentials'] as const;
export type JamfProAuthMethod = (typeof JAMF_PRO_AUTH_METHODS)[number];

/**
 * The URL as stored: trimmed, without trailing slashes (`https://district.jamfcloud.com`, or with the path an
 * on-premises server lives under). Anything else about it (scheme, credentials, fragment, where its host
 * points) is checked when it is saved and on every connection, where a refusal can name the rule it breaks.
 */
export function normalizeBaseUrl(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}

export const JamfProSettings = CommonSettings.extend({
  authMethod: z.enum(JAMF_PRO_AUTH_METHODS).default('client_credentials'),
  baseUrl: z
    .string({ error: 'Enter your Jamf Pro URL, such as https://district.jamfcloud.com' })
    .trim()
    .min(1, 'Enter your Jamf Pro URL, such as https://district.jamfcloud.com')
    .max(2000)
    .transform(normalizeBaseUrl),
});
export type JamfProSettings = z.infer<typeof JamfProSettings>;

/** `POST …/providers/jamf_pro/credentials`: an API client (Settings › API roles and clients) and its secret. */
export const JamfProCredentials = z.strictObject({
  clientId: z.string().trim().min(1, 'Enter the API client’s client ID').max(200),
  clientSecret: z.string().min(1, 'Enter the API client’s client secret').max(1000),
});
export type JamfProCredentials = z.infer<typeof JamfProCredentials>;
