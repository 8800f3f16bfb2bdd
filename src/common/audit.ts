import { z } from 'zod';

export const AuditEvent = z.object({
  id: z.uuid(),
  action: z.string(),
  actor: z.object({ id: z.uuid().nullable(), label: z.string() }),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.strictObject({
  subjectType: z.string().max(50).optional(),
  subjectId: z.string().max(100).optional(),
  /** The `nextCursor` of the page before. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditEventList = z.object({
  events: z.array(AuditEvent),
  /** Opaque: pass it back as `cursor` for the next page; null when there is none. */
  nextCursor: z.string().nullable(),
});
export type AuditEventList = z.infer<typeof AuditEventList>;
