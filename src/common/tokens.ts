import { z } from 'zod';

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.object({ tokens: z.array(ApiToken) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

/** An administrator's view of a token: whose it is. */
export const DistrictApiToken = ApiToken.extend({
  owner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
});
export type DistrictApiToken = z.infer<typeof DistrictApiToken>;
export const DistrictApiTokenList = z.object({ tokens: z.array(DistrictApiToken) });
export type DistrictApiTokenList = z.infer<typeof DistrictApiTokenList>;
export const DistrictTokenQuery = z.strictObject({ userId: z.uuid().optional() });

/** No expiry (or null) asks for the district's maximum lifetime; longer than the maximum is refused. */
export const CreateTokenRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
export type CreateTokenRequest = z.input<typeof CreateTokenRequest>;

/** The only response that ever carries the token itself; it is stored hashed. */
export const CreatedToken = z.object({ token: ApiToken, secret: z.string() });
export type CreatedToken = z.infer<typeof CreatedToken>;
