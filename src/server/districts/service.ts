import type { Kysely, Transaction } from 'kysely';
import type { SetupStatus } from '../../common/auth.ts';
import type { DistrictProfile } from '../../common/districts.ts';
import { recordAudit } from '../audit/service.ts';
import { hashToken, newSecretToken } from '../auth/crypto.ts';
import { hashPassword } from '../auth/passwords.ts';
import * as authQueries from '../auth/queries.ts';
import { createSession, type NewSession } from '../auth/sessions.ts';
import type { RequestContext } from '../context.ts';
import type { DB, UserRow } from '../db/schema.ts';
import { Invalid } from '../errors.ts';
import * as users from '../users/queries.ts';
import * as queries from './queries.ts';

export const SETUP_LINK_TTL_MS = 60 * 60_000;

export interface NewDistrict {
  districtName: string;
  adminName: string;
  adminEmail: string;
  adminPassword: string;
  timeZone?: string | undefined;
}

/** Creates a district and its first administrator; the CLI and the first-run page both come here. */
export async function createDistrictWithAdmin(
  db: Kysely<DB> | Transaction<DB>,
  input: NewDistrict,
  actor: { label: string; ip: string | null; log: RequestContext['log'] },
): Promise<{ districtId: string; admin: UserRow }> {
  const passwordHash = await hashPassword(input.adminPassword);
  const create = async (trx: Transaction<DB>) => {
    const district = await queries.insertDistrict(trx, input.districtName, input.timeZone ?? null);
    const admin = await users.insertUser(trx, {
      district_id: district.id,
      email: input.adminEmail,
      name: input.adminName,
      role: 'district_admin',
      password_hash: passwordHash,
      updated_at: new Date(),
    });
    const ctx: RequestContext = {
      districtId: district.id,
      userId: null,
      actorLabel: actor.label,
      role: null,
      permissions: new Set(),
      ip: actor.ip,
      log: actor.log,
    };
    await recordAudit(ctx, trx, {
      action: 'district.created',
      subjectType: 'district',
      subjectId: district.id,
      details: { name: district.name },
    });
    await recordAudit(ctx, trx, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: admin.id,
      details: { email: admin.email, name: admin.name, role: admin.role },
    });
    return { districtId: district.id, admin };
  };
  return db.isTransaction ? create(db as Transaction<DB>) : db.transaction().execute(create);
}

/** On a fresh installation, issues a one-time link for creating the first district in the browser. */
export async function issueSetupLinkIfEmpty(db: Kysely<DB>, publicUrl: string): Promise<string | null> {
  if ((await queries.countDistricts(db)) > 0) return null;
  const token = newSecretToken('');
  await authQueries.insertSetupToken(db, hashToken(token), new Date(Date.now() + SETUP_LINK_TTL_MS));
  return `${publicUrl}/setup?token=${token}`;
}

export async function setupStatus(db: Kysely<DB>, token: string): Promise<SetupStatus> {
  const row = await authQueries.findUsableSetupToken(db, hashToken(token));
  return { valid: row !== undefined, expiresAt: row?.expires_at.toISOString() ?? null };
}

export async function completeSetup(
  db: Kysely<DB>,
  input: NewDistrict & { token: string },
  actor: { ip: string | null; userAgent: string | null; log: RequestContext['log'] },
): Promise<NewSession> {
  return db.transaction().execute(async (trx) => {
    const consumed = await authQueries.consumeSetupToken(trx, hashToken(input.token));
    if (!consumed) {
      throw new Invalid(
        'This setup link is invalid, expired or already used. Restart Satchel for a new one, or run `npm run satchel -- setup`.',
      );
    }
    const { districtId, admin } = await createDistrictWithAdmin(trx, input, {
      label: input.adminEmail,
      ip: actor.ip,
      log: actor.log,
    });
    return createSession(trx, { districtId, userId: admin.id, ip: actor.ip, userAgent: actor.userAgent });
  });
}

export async function districtProfile(ctx: RequestContext, db: Kysely<DB>): Promise<DistrictProfile> {
  const row = await queries.findDistrict(db, ctx.districtId);
  return { name: row.name, timeZone: row.time_zone };
}

export async function updateDistrictProfile(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: { timeZone: string },
): Promise<DistrictProfile> {
  return db.transaction().execute(async (trx) => {
    const before = await queries.findDistrict(trx, ctx.districtId);
    const row = await queries.setTimeZone(trx, ctx.districtId, input.timeZone);
    if (before.time_zone !== row.time_zone) {
      await recordAudit(ctx, trx, {
        action: 'district.updated',
        subjectType: 'district',
        subjectId: ctx.districtId,
        details: { name: row.name, changes: { timeZone: { from: before.time_zone, to: row.time_zone } } },
      });
    }
    return { name: row.name, timeZone: row.time_zone };
  });
}

/** The zone the district's exports write times in: its own, else UTC. */
export async function exportTimeZone(ctx: RequestContext, db: Kysely<DB>): Promise<string> {
  return (await queries.findDistrict(db, ctx.districtId)).time_zone ?? 'UTC';
}
