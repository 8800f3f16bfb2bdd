import type { Kysely, Transaction } from 'kysely';
import type { ApiToken, CreatedToken, DistrictApiToken } from '../../common/tokens.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { ApiTokenRow, DB } from '../db/schema.ts';
import { readDistrictSettings } from '../districts/settings.ts';
import { Invalid, NotFound, Unauthenticated } from '../errors.ts';
import { hashToken, newSecretToken } from './crypto.ts';
import type { Identity } from './identity.ts';
import * as queries from './queries.ts';

export const TOKEN_PREFIX = 'satchel_pat_';
const TOUCH_INTERVAL_MS = 60_000;
const DAY_MS = 86_400_000;

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
  };
}

export async function listTokens(ctx: RequestContext, db: Kysely<DB>): Promise<ApiToken[]> {
  const rows = await queries.listUserTokens(db, ctx.districtId, requireUser(ctx));
  return rows.map(toApiToken);
}

/**
 * A token lives at most the district's maximum: asking for no expiry gets the maximum, asking for longer is
 * refused with the limit named, so nobody holds a token longer than they think.
 */
async function tokenLifetimeDays(
  ctx: RequestContext,
  db: Kysely<DB>,
  requested: number | null | undefined,
): Promise<number> {
  const { tokenMaxLifetimeDays } = await readDistrictSettings(ctx, db);
  if (requested == null) return tokenMaxLifetimeDays;
  if (requested > tokenMaxLifetimeDays) {
    const message = `Tokens in this district can live at most ${tokenMaxLifetimeDays} days`;
    throw new Invalid(message, [{ path: 'expiresInDays', message }]);
  }
  return requested;
}

export async function createToken(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: { name: string; expiresInDays?: number | null | undefined },
): Promise<CreatedToken> {
  const userId = requireUser(ctx);
  const days = await tokenLifetimeDays(ctx, db, input.expiresInDays);
  const secret = newSecretToken(TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + days * DAY_MS);
  return db.transaction().execute(async (trx) => {
    const row = await queries.insertToken(trx, {
      districtId: ctx.districtId,
      userId,
      name: input.name,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      tokenHash: hashToken(secret),
      expiresAt,
    });
    await recordAudit(ctx, trx, {
      action: 'token.created',
      subjectType: 'api_token',
      subjectId: row.id,
      details: { name: row.name, expiresAt: row.expires_at.toISOString() },
    });
    return { token: toApiToken(row), secret };
  });
}

export async function revokeToken(ctx: RequestContext, db: Kysely<DB>, tokenId: string): Promise<void> {
  const userId = requireUser(ctx);
  await revokeOne(ctx, db, tokenId, userId);
}

/** An administrator's view: every live token in the district with its owner, or one user's. */
export async function listDistrictTokens(
  ctx: RequestContext,
  db: Kysely<DB>,
  userId: string | undefined,
): Promise<DistrictApiToken[]> {
  const rows = await queries.listDistrictTokens(db, ctx.districtId, userId);
  return rows.map((row) => ({
    ...toApiToken(row),
    owner: { id: row.user_id, name: row.owner_name, email: row.owner_email },
  }));
}

/** An administrator revoking anyone's token in the district. */
export async function revokeDistrictToken(
  ctx: RequestContext,
  db: Kysely<DB>,
  tokenId: string,
): Promise<void> {
  await revokeOne(ctx, db, tokenId, undefined);
}

/** When a password is reset or changed: every token the user has stops working. */
export async function revokeUserTokens(
  db: Transaction<DB>,
  districtId: string,
  userId: string,
): Promise<number> {
  return queries.revokeAllUserTokens(db, districtId, userId);
}

async function revokeOne(
  ctx: RequestContext,
  db: Kysely<DB>,
  tokenId: string,
  ownerId: string | undefined,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await queries.revokeToken(trx, ctx.districtId, tokenId, ownerId);
    if (!revoked) throw new NotFound('API token');
    await recordAudit(ctx, trx, {
      action: 'token.revoked',
      subjectType: 'api_token',
      subjectId: tokenId,
      details: { name: revoked.name, ownerId: revoked.user_id },
    });
  });
}

export async function resolveToken(db: Kysely<DB>, secret: string): Promise<Identity | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const row = await queries.findTokenIdentity(db, hashToken(secret));
  if (!row || row.revoked_at || row.disabled_at) return null;
  const now = Date.now();
  if (row.expires_at.getTime() <= now) return null;
  // A district that shortens its maximum shortens the tokens it already has.
  if (row.token_created_at.getTime() + row.token_max_lifetime_days * DAY_MS <= now) return null;
  if (!row.last_used_at || now - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
    await queries.touchToken(db, row.token_id, new Date(now));
  }
  return { row, via: { kind: 'token', tokenId: row.token_id } };
}

function requireUser(ctx: RequestContext): string {
  if (!ctx.userId) throw new Unauthenticated();
  return ctx.userId;
}
