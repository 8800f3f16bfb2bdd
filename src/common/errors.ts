import { z } from 'zod';

export const ERROR_CODES = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'csrf',
  'not_found',
  'conflict',
  'rate_limited',
  'locked',
  'provider',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
