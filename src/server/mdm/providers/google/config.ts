import { z } from 'zod';
import type { Config } from '../../../config.ts';
import type { ProviderConfigBlock } from '../../provider.ts';

export interface GoogleConfig {
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  apiRootUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Directory API requests per minute for every district together (Google's default is 2,400). */
  quotaPerMinute: number;
}

/** The `GOOGLE_*` variables: Satchel's OAuth client, Google's endpoints (a fake's, in tests), the shared quota. */
export const googleConfigBlock: ProviderConfigBlock<GoogleConfig> = {
  environment: z.object({
    GOOGLE_OAUTH_AUTH_URL: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
    GOOGLE_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
    GOOGLE_OAUTH_REVOKE_URL: z.url().default('https://oauth2.googleapis.com/revoke'),
    GOOGLE_API_ROOT_URL: z.url().default('https://admin.googleapis.com/'),
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    GOOGLE_API_QUOTA_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  }),
  read: (values) => {
    const root = String(values.GOOGLE_API_ROOT_URL);
    return {
      authUrl: String(values.GOOGLE_OAUTH_AUTH_URL),
      tokenUrl: String(values.GOOGLE_OAUTH_TOKEN_URL),
      revokeUrl: String(values.GOOGLE_OAUTH_REVOKE_URL),
      apiRootUrl: root.endsWith('/') ? root : `${root}/`,
      clientId: values.GOOGLE_CLIENT_ID as string | undefined,
      clientSecret: values.GOOGLE_CLIENT_SECRET as string | undefined,
      quotaPerMinute: Number(values.GOOGLE_API_QUOTA_PER_MINUTE),
    };
  },
};

export function googleConfig(config: Config): GoogleConfig {
  return config.providers.google as GoogleConfig;
}
