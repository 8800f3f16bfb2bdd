import type { Kysely, Transaction } from 'kysely';
import type { AuditEvent, AuditEventList } from '../../common/audit.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { decodeAuditCursor, encodeAuditCursor } from './cursor.ts';
import { insertAuditEvent, insertAuditEvents, listAuditEvents } from './queries.ts';

export interface AuditEntry {
  action: string;
  subjectType?: string;
  subjectId?: string;
  /** Never secrets: callers pass field names and non-secret values only. */
  details?: Record<string, unknown>;
}

/** Records who did what; pass the transaction doing the change so both commit together. */
export async function recordAudit(
  ctx: RequestContext,
  db: Kysely<DB> | Transaction<DB>,
  entry: AuditEntry,
): Promise<void> {
  await insertAuditEvent(db, {
    districtId: ctx.districtId,
    actorUserId: ctx.userId,
    actorLabel: ctx.actorLabel,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    details: entry.details ?? {},
    ip: ctx.ip,
  });
}

export async function recordAuditBatch(
  ctx: RequestContext,
  db: Kysely<DB> | Transaction<DB>,
  entries: AuditEntry[],
): Promise<void> {
  await insertAuditEvents(
    db,
    entries.map((entry) => ({
      districtId: ctx.districtId,
      actorUserId: ctx.userId,
      actorLabel: ctx.actorLabel,
      action: entry.action,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      details: entry.details ?? {},
      ip: ctx.ip,
    })),
  );
}

export interface AuditPageRequest {
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listAudit(
  ctx: RequestContext,
  db: Kysely<DB>,
  request: AuditPageRequest,
): Promise<AuditEventList> {
  const { cursor, ...filter } = request;
  const after = cursor === undefined ? undefined : decodeAuditCursor(cursor);
  const rows = await listAuditEvents(db, ctx.districtId, { ...filter, after });
  const page = rows.slice(0, filter.limit);
  const events: AuditEvent[] = page.map((row) => ({
    id: row.id,
    action: row.action,
    actor: { id: row.actor_user_id, label: row.actor_label },
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: row.details,
    createdAt: row.created_at.toISOString(),
  }));
  const last = page.at(-1);
  const more = rows.length > filter.limit && last;
  return { events, nextCursor: more ? encodeAuditCursor({ time: last.cursor_time, id: last.id }) : null };
}
