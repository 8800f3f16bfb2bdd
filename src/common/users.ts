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
