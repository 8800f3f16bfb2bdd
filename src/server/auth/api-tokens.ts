import type { Kysely } from 'kysely';
import type { ApiToken, CreatedToken } from '../../common/tokens.ts';
import { recordAudit } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { ApiTokenRow, DB } from '../db/schema.ts';
import { NotFound, Unauthenticated } from '../errors.ts';
import { hashToken, newSecretToken } from './crypto.ts';
import type { Identity } from './identity.ts';
import * as queries from './queries.ts';

export const TOKEN_PREFIX = 'satchel_pat_';
const TOUCH_INTERVAL_MS = 60_000;

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
  };
}

export async function listTokens(ctx: RequestContext, db: Kysely<DB>): Promise<ApiToken[]> {
  const rows = await queries.listUserTokens(db, ctx.districtId, requireUser(ctx));
  return rows.map(toApiToken);
}

export async function createToken(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: { name: string; expiresInDays?: number | null | undefined },
): Promise<CreatedToken> {
  const userId = requireUser(ctx);
  const secret = newSecretToken(TOKEN_PREFIX);
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
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
      details: { name: row.name, expiresAt: row.expires_at?.toISOString() ?? null },
    });
    return { token: toApiToken(row), secret };
  });
}

export async function revokeToken(ctx: RequestContext, db: Kysely<DB>, tokenId: string): Promise<void> {
  const userId = requireUser(ctx);
  await db.transaction().execute(async (trx) => {
    const revoked = await queries.revokeUserToken(trx, ctx.districtId, userId, tokenId);
    if (!revoked) throw new NotFound('API token');
    await recordAudit(ctx, trx, {
      action: 'token.revoked',
      subjectType: 'api_token',
      subjectId: tokenId,
      details: { name: revoked.name },
    });
  });
}

export async function resolveToken(db: Kysely<DB>, secret: string): Promise<Identity | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const row = await queries.findTokenIdentity(db, hashToken(secret));
  if (!row || row.revoked_at || row.disabled_at) return null;
  const now = Date.now();
  if (row.expires_at && row.expires_at.getTime() <= now) return null;
  if (!row.last_used_at || now - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
    await queries.touchToken(db, row.token_id, new Date(now));
  }
  return { row, via: { kind: 'token', tokenId: row.token_id } };
}

function requireUser(ctx: RequestContext): string {
  if (!ctx.userId) throw new Unauthenticated();
  return ctx.userId;
}
