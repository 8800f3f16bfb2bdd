import { Invalid } from '../errors.ts';

/**
 * Where a page of the audit log ends: the last event's time, to the microsecond the database keeps, and its id.
 * Events that share a time are ordered by id, so a page boundary inside one millisecond skips nothing.
 * Clients treat the string as opaque.
 */
export interface AuditCursor {
  time: string;
  id: string;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.time}|${cursor.id}`).toString('base64url');
}

export function decodeAuditCursor(text: string): AuditCursor {
  const [time, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!time || !id || rest.length > 0 || !TIME.test(time) || !UUID.test(id)) {
    throw new Invalid('The cursor is not one this audit log gave out', [
      { path: 'cursor', message: 'Use the nextCursor of the previous page' },
    ]);
  }
  return { time, id };
}
