import { z } from 'zod';
import type { Config } from '../../../config.ts';
import type { ProviderConfigBlock } from '../../provider.ts';

export interface IntuneConfig {
  /** Microsoft Entra ID's sign-in origin (a fake's, in tests), without a trailing slash. */
  loginUrl: string;
  /** Microsoft Graph's origin (a fake's, in tests), without a trailing slash. */
  graphUrl: string;
  /** Satchel's own multi-tenant app registration, for admin consent; absent, districts paste their own. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Graph requests Satchel sends one tenant per 20 seconds, every request inside a `$batch` counted. */
  requestsPer20Seconds: number;
}

const withoutTrailingSlash = (url: unknown) => String(url).replace(/\/+$/, '');

/**
 * The `MICROSOFT_*` variables: Microsoft's endpoints (a fake's, in tests), Satchel's hosted app for admin
 * consent, and the request budget per tenant.
 */
export const intuneConfigBlock: ProviderConfigBlock<IntuneConfig> = {
  environment: z.object({
    MICROSOFT_LOGIN_URL: z.url().default('https://login.microsoftonline.com'),
    MICROSOFT_GRAPH_URL: z.url().default('https://graph.microsoft.com'),
    MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
    MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
    // Graph allows an app 2,000 requests per 20 s in a tenant, and all apps together 4,000: the district's
    // own scripts and tools share that room, so Satchel leaves a fifth of its share free by default.
    MICROSOFT_GRAPH_REQUESTS_PER_20S: z.coerce.number().int().min(20).max(1_000_000).default(1600),
  }),
  read: (values) => ({
    loginUrl: withoutTrailingSlash(values.MICROSOFT_LOGIN_URL),
    graphUrl: withoutTrailingSlash(values.MICROSOFT_GRAPH_URL),
    clientId: values.MICROSOFT_CLIENT_ID as string | undefined,
    clientSecret: values.MICROSOFT_CLIENT_SECRET as string | undefined,
    requestsPer20Seconds: Number(values.MICROSOFT_GRAPH_REQUESTS_PER_20S),
  }),
};

export function intuneConfig(config: Config): IntuneConfig {
  return config.providers.intune as IntuneConfig;
}
