import { z } from 'zod';
import { Role } from './auth.ts';

export const SIGN_IN_PROVIDERS = ['google', 'microsoft'] as const;
export const SignInProvider = z.enum(SIGN_IN_PROVIDERS);
export type SignInProvider = z.infer<typeof SignInProvider>;

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'Enter a domain such as district.org');

/** System Settings › Sign-in. */
export const SignInSettings = z.object({
  google: z.object({ enabled: z.boolean(), configured: z.boolean() }),
  microsoft: z.object({ enabled: z.boolean(), configured: z.boolean(), tenantId: z.string().nullable() }),
  /** The district's email domains: Google's `hd` must be one, and the sign-in page offers the buttons by them. */
  allowedDomains: z.array(z.string()),
  /** A first sign-in with an allowed account makes one, with `defaultRole`. */
  jitAccounts: z.boolean(),
  defaultRole: Role,
  /** `first_admin`: only the district's first administrator may still sign in with a password (break-glass). */
  passwordSignIn: z.enum(['everyone', 'first_admin']),
  firstAdmin: z.object({ id: z.uuid(), email: z.string() }).nullable(),
});
export type SignInSettings = z.infer<typeof SignInSettings>;

export const UpdateSignInSettings = z.strictObject({
  googleEnabled: z.boolean(),
  microsoftEnabled: z.boolean(),
  microsoftTenantId: z
    .string()
    .trim()
    .regex(/^[0-9a-f-]{36}$/i, 'Enter the tenant id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47')
    .nullable(),
  allowedDomains: z.array(Domain).max(50),
  jitAccounts: z.boolean(),
  defaultRole: Role,
  passwordSignIn: z.enum(['everyone', 'first_admin']),
});
export type UpdateSignInSettings = z.input<typeof UpdateSignInSettings>;

/** What the sign-in page offers for an email (or for the installation's only district). */
export const SignInMethods = z.object({ providers: z.array(SignInProvider) });
export type SignInMethods = z.infer<typeof SignInMethods>;
