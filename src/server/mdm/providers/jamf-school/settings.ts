import { z } from 'zod';
import { CommonSettings } from '../../../../common/mdm.ts';

/**
 * Jamf School's settings and credentials, shared with the web app's forms (this file imports nothing from the
 * server, so the browser bundle can use it).
 */
export const JAMF_SCHOOL_AUTH_METHODS = ['api_key'] as const;
export type JamfSchoolAuthMethod = (typeof JAMF_SCHOOL_AUTH_METHODS)[number];

/**
 * The address a district signs in at, stored one way however it was typed: lower-case scheme and host, no
 * default port, no trailing slash, and without a final `/api` (some paste the API's address; the API is always
 * at `${baseUrl}/api`). Anything with a user name, query or fragment is left as typed, so that the URL check
 * on save refuses it by its rule rather than having the part silently dropped here.
 */
export function normalizeBaseUrl(raw: string): string {
  const typed = raw.trim();
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return typed;
  }
  if (url.username || url.password || url.href.includes('?') || url.href.includes('#')) return typed;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/i, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** The zone's canonical IANA name ("america/chicago" → "America/Chicago"), or null for no such zone. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const JamfSchoolSettings = CommonSettings.extend({
  authMethod: z.enum(JAMF_SCHOOL_AUTH_METHODS).default('api_key'),
  /** The Jamf School address, such as https://district.jamfcloud.com; checked again on save (provider-url.ts). */
  baseUrl: z.string().trim().min(1, 'Enter your Jamf School address').max(2048).transform(normalizeBaseUrl),
  /**
   * Jamf School writes check-in times without a zone, in its instance's time zone; this says which, so they
   * are read as the right instant. An IANA name such as America/Chicago.
   */
  timeZone: z
    .string()
    .trim()
    .default('UTC')
    .transform((name, context) => {
      const canonical = canonicalTimeZone(name);
      if (canonical) return canonical;
      context.addIssue({ code: 'custom', message: 'Use a time zone name such as America/Chicago' });
      return z.NEVER;
    }),
});
export type JamfSchoolSettings = z.infer<typeof JamfSchoolSettings>;

/**
 * `POST …/providers/jamf_school/credentials`: the Network ID (Devices › Enroll Device(s)) and an API key
 * (Organization › Settings › API). They are the user name and password of HTTP Basic, so the Network ID
 * cannot hold a colon.
 */
export const JamfSchoolCredentials = z.strictObject({
  networkId: z
    .string()
    .trim()
    .regex(/^[^\s:]{1,100}$/, 'Enter the Network ID shown under Devices › Enroll Device(s)'),
  apiKey: z
    .string()
    .trim()
    .regex(/^\S{1,500}$/, 'Enter the API key from Organization › Settings › API'),
});
export type JamfSchoolCredentials = z.infer<typeof JamfSchoolCredentials>;
