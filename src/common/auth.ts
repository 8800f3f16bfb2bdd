import { z } from 'zod';
import { TimeZone } from './districts.ts';
import { PERMISSIONS, ROLES } from './permissions.ts';

export const Email = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());
/** Length is what matters (ASVS 6.2): at least 12 characters, no composition rules, long passphrases allowed. */
export const NewPassword = z
  .string()
  .min(12, 'Passwords need at least 12 characters')
  .max(128, 'Passwords can have at most 128 characters');

export const Role = z.enum(ROLES);
export const Permission = z.enum(PERMISSIONS);

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  /** Invited and not yet signed in: the invitation can be sent again. */
  invited: z.boolean(),
  lastSignInAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

export const District = z.object({ id: z.uuid(), name: z.string() });
export type District = z.infer<typeof District>;

export const Me = z.object({
  user: User,
  district: District,
  permissions: z.array(Permission),
});
export type Me = z.infer<typeof Me>;

export const SignInRequest = z.strictObject({
  email: Email,
  password: z.string().min(1).max(1024),
});
export type SignInRequest = z.input<typeof SignInRequest>;

export const SessionResponse = Me.extend({ csrfToken: z.string() });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** The email and password open accounts in several districts: the user picks one, then signs in to it. */
export const DistrictChoice = z.object({
  districtChoice: z.object({
    ticket: z.string(),
    districts: z.array(District),
  }),
});
export type DistrictChoice = z.infer<typeof DistrictChoice>;

export const SignInResponse = z.union([SessionResponse, DistrictChoice]);
export type SignInResponse = z.infer<typeof SignInResponse>;

export const DistrictSignInRequest = z.strictObject({
  ticket: z.string().min(1).max(2000),
  districtId: z.uuid(),
});
export type DistrictSignInRequest = z.input<typeof DistrictSignInRequest>;

export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: NewPassword,
  /** Also revoke every API token the user has (for when the password may have leaked). */
  revokeApiTokens: z.boolean().optional(),
});
export type ChangePasswordRequest = z.input<typeof ChangePasswordRequest>;

export const SetupStatus = z.object({ valid: z.boolean(), expiresAt: z.iso.datetime().nullable() });
export type SetupStatus = z.infer<typeof SetupStatus>;

export const SetupRequest = z.strictObject({
  token: z.string().min(1).max(200),
  districtName: z.string().trim().min(1).max(200),
  adminName: z.string().trim().min(1).max(200),
  adminEmail: Email,
  adminPassword: NewPassword,
  /** The browser's time zone, for the district's exports until an administrator changes it. */
  timeZone: TimeZone.optional(),
});
export type SetupRequest = z.input<typeof SetupRequest>;

/** What anyone may know: the process answers. */
export const PublicHealth = z.object({ status: z.literal('ok') });

/** The detailed report, for an administrator or monitoring holding the health token. */
export const Health = z.object({
  status: z.literal('ok'),
  /** What this process runs: the API and UI (`web`), background jobs (`worker`), or both (`all`). */
  role: z.enum(['all', 'web', 'worker']),
  database: z.enum(['pglite', 'postgres']),
  /** Jobs waiting and running, per queue (e.g. `mdm.sync`). */
  queues: z.record(z.string(), z.object({ queued: z.number().int(), active: z.number().int() })),
  /** The processes working the job queues, with the age of their last heartbeat. */
  instances: z.array(
    z.object({
      id: z.string(),
      role: z.string(),
      live: z.boolean(),
      heartbeatAgeSeconds: z.number().int(),
      activeJobs: z.number().int(),
    }),
  ),
});
export type Health = z.infer<typeof Health>;
