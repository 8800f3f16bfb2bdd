import { Unauthenticated } from '../errors.ts';
import { hmac, safeEqual } from './crypto.ts';

/**
 * When one email and password open accounts in several districts, sign-in answers with a ticket naming those
 * accounts; the browser sends it back with the district picked. Signed, short-lived, and stored nowhere.
 */
const TICKET_TTL_MS = 5 * 60_000;
const PURPOSE = 'district-choice';

export function issueDistrictTicket(secretKey: Buffer, userIds: string[], now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ users: userIds, expires: now + TICKET_TTL_MS })).toString(
    'base64url',
  );
  return `${payload}.${hmac(secretKey, PURPOSE, payload)}`;
}

/** The accounts the ticket proved; a forged, altered or expired ticket is refused like a wrong password. */
export function readDistrictTicket(secretKey: Buffer, ticket: string, now = Date.now()): string[] {
  const [payload, signature, ...rest] = ticket.split('.');
  const refused = new Unauthenticated('This sign-in has expired; enter your email and password again');
  if (!payload || !signature || rest.length > 0 || !safeEqual(signature, hmac(secretKey, PURPOSE, payload)))
    throw refused;
  const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    users: string[];
    expires: number;
  };
  if (parsed.expires <= now) throw refused;
  return parsed.users;
}
