import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AuditCursor } from './cursor.ts';

export interface NewAuditEvent {
  districtId: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export async function insertAuditEvent(db: Kysely<DB>, event: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      district_id: event.districtId,
      actor_user_id: event.actorUserId,
      actor_label: event.actorLabel,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      details: JSON.stringify(event.details),
      ip: event.ip,
    })
    .execute();
}

/** Many events in one statement (imports write one per changed record). */
export async function insertAuditEvents(db: Kysely<DB>, events: NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('audit_events')
    .values(
      events.map((event) => ({
        district_id: event.districtId,
        actor_user_id: event.actorUserId,
        actor_label: event.actorLabel,
        action: event.action,
        subject_type: event.subjectType,
        subject_id: event.subjectId,
        details: JSON.stringify(event.details),
        ip: event.ip,
      })),
    )
    .execute();
}

export interface AuditFilter {
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  after?: AuditCursor | undefined;
  limit: number;
}

/** Newest first; `cursorTime` is the exact stored time (microseconds), which a JavaScript Date would round. */
export async function listAuditEvents(db: Kysely<DB>, districtId: string, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_events')
    .selectAll()
    .select(
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_time'),
    )
    .where('district_id', '=', districtId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  const after = filter.after;
  if (after) {
    query = query.where(
      (eb) => eb.refTuple('created_at', 'id'),
      '<',
      (eb) => eb.tuple(sql<Date>`${after.time}::timestamptz`, sql<string>`${after.id}::uuid`),
    );
  }
  return query.execute();
}
