/**
 * `$skiptoken` for `@odata.nextLink`: opaque to clients, it holds where the next page starts in the
 * tenant's device order and a fingerprint of the query, so a token replayed with another filter, selection
 * or page size is refused instead of serving a page of something else.
 */
import { createHash } from 'node:crypto';

export interface PageQuery {
  tenantId: string;
  filter: string;
  select: string;
  top: number;
}

function fingerprint(query: PageQuery): string {
  return createHash('sha256')
    .update(`${query.tenantId}\n${query.filter}\n${query.select}\n${query.top}`)
    .digest('base64url')
    .slice(0, 16);
}

export function encodeSkipToken(position: number, query: PageQuery): string {
  return Buffer.from(JSON.stringify({ p: position, q: fingerprint(query) })).toString('base64url');
}

/** The position the token points at, or undefined when it is not a token for this query. */
export function decodeSkipToken(token: string, query: PageQuery): number | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      p?: unknown;
      q?: unknown;
    };
    if (typeof decoded.p !== 'number' || !Number.isInteger(decoded.p) || decoded.p < 0) return undefined;
    return decoded.q === fingerprint(query) ? decoded.p : undefined;
  } catch {
    return undefined;
  }
}
