import { z } from 'zod';
import { Email, NewPassword } from './auth.ts';

const LinkToken = z.string().min(20).max(200);

/** What the invitation page shows before the person chooses a password or signs in with their district. */
export const InvitationDetails = z.object({
  email: z.string(),
  name: z.string(),
  districtName: z.string(),
  /** Single sign-on the district offers (`google`, `microsoft`); empty when it has none. */
  signInProviders: z.array(z.enum(['google', 'microsoft'])),
  /** False when the district signs in only with its Google or Microsoft accounts. */
  passwordAllowed: z.boolean(),
});
export type InvitationDetails = z.infer<typeof InvitationDetails>;

export const LinkTokenRequest = z.strictObject({ token: LinkToken });
export type LinkTokenRequest = z.input<typeof LinkTokenRequest>;

export const AcceptInvitationRequest = z.strictObject({ token: LinkToken, password: NewPassword });
export type AcceptInvitationRequest = z.input<typeof AcceptInvitationRequest>;

export const PasswordResetRequest = z.strictObject({ email: Email });
export type PasswordResetRequest = z.input<typeof PasswordResetRequest>;

/** The same answer whether or not the email has an account. */
export const PasswordResetAnswer = z.object({ mailEnabled: z.boolean(), message: z.string() });
export type PasswordResetAnswer = z.infer<typeof PasswordResetAnswer>;

export const CompletePasswordResetRequest = z.strictObject({ token: LinkToken, password: NewPassword });
export type CompletePasswordResetRequest = z.input<typeof CompletePasswordResetRequest>;

/** Mail an administrator asked for. */
export const MailNotifications = z.strictObject({
  /** A provider stopped syncing until someone authorizes it again. */
  reauthorization: z.boolean(),
  /** A provider's sync failed three times in a row. */
  syncFailures: z.boolean(),
});
export type MailNotifications = z.infer<typeof MailNotifications>;

export const MailNotificationSettings = MailNotifications.extend({ mailEnabled: z.boolean() });
export type MailNotificationSettings = z.infer<typeof MailNotificationSettings>;
