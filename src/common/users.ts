import { z } from 'zod';
import { Email, NewPassword, Role, User } from './auth.ts';

export const UserList = z.object({ users: z.array(User) });
export type UserList = z.infer<typeof UserList>;

export const CreateUserRequest = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(200),
  role: Role,
  password: NewPassword,
});
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    role: Role.optional(),
    disabled: z.boolean().optional(),
    password: NewPassword.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Nothing to change');
export type UpdateUserRequest = z.input<typeof UpdateUserRequest>;

export const IdParams = z.strictObject({ id: z.uuid() });

export const InviteUserRequest = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(200),
  role: Role,
});
export type InviteUserRequest = z.input<typeof InviteUserRequest>;

/** `link` is set when the invitation was not mailed: the administrator copies it to the person. */
export const InvitationResult = z.object({
  user: User,
  delivery: z.enum(['email', 'link']),
  link: z.string().nullable(),
  mailError: z.string().nullable(),
});
export type InvitationResult = z.infer<typeof InvitationResult>;
