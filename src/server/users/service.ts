import type { Kysely, Transaction } from 'kysely';
import type { User } from '../../common/auth.ts';
import type { Role } from '../../common/permissions.ts';
import type { CreateUserRequest, UpdateUserRequest } from '../../common/users.ts';
import { recordAudit } from '../audit/service.ts';
import { revokeUserTokens } from '../auth/api-tokens.ts';
import { hashPassword } from '../auth/passwords.ts';
import { endUserSessions } from '../auth/sessions.ts';
import type { RequestContext } from '../context.ts';
import type { DB, UserRow } from '../db/schema.ts';
import { Conflict, NotFound } from '../errors.ts';
import * as queries from './queries.ts';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    invited: row.password_hash === null && row.last_sign_in_at === null,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listUsers(ctx: RequestContext, db: Kysely<DB>): Promise<User[]> {
  const rows = await queries.listUsers(db, ctx.districtId);
  return rows.map(toUser);
}

export async function createUser(
  ctx: RequestContext,
  db: Kysely<DB>,
  input: { email: string; name: string; role: CreateUserRequest['role']; password: string },
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const row = await insertDistrictUser(ctx, trx, { ...input, passwordHash });
    await recordAudit(ctx, trx, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: row.id,
      details: { email: row.email, name: row.name, role: row.role },
    });
    return toUser(row);
  });
}

/** A new account in the caller's district; `passwordHash` is null for someone invited. */
export async function insertDistrictUser(
  ctx: RequestContext,
  trx: Transaction<DB>,
  input: { email: string; name: string; role: Role; passwordHash: string | null },
): Promise<UserRow> {
  // Only this district's users are looked at: another district's accounts are none of its business.
  if (await queries.findUserByEmailInDistrict(trx, ctx.districtId, input.email)) {
    throw new Conflict('A user with this email already exists in this district');
  }
  return queries.insertUser(trx, {
    district_id: ctx.districtId,
    email: input.email,
    name: input.name,
    role: input.role,
    password_hash: input.passwordHash,
    updated_at: new Date(),
  });
}

export async function updateUser(
  ctx: RequestContext,
  db: Kysely<DB>,
  userId: string,
  input: UpdateUserRequest,
): Promise<User> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction().execute(async (trx) => {
    const before = await queries.findUserForUpdate(trx, ctx.districtId, userId);
    if (!before) throw new NotFound('User');
    const changes: queries.UserChanges = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (input.name !== undefined && input.name !== before.name) {
      changes.name = input.name;
      changed.name = { from: before.name, to: input.name };
    }
    if (input.role !== undefined && input.role !== before.role) {
      changes.role = input.role;
      changed.role = { from: before.role, to: input.role };
    }
    const wasDisabled = before.disabled_at !== null;
    if (input.disabled !== undefined && input.disabled !== wasDisabled) {
      changes.disabled_at = input.disabled ? new Date() : null;
      changed.disabled = { from: wasDisabled, to: input.disabled };
    }
    if (passwordHash) changes.password_hash = passwordHash;

    const losesAdmin =
      before.role === 'district_admin' && !wasDisabled && (changes.role !== undefined || changes.disabled_at);
    if (losesAdmin && (await queries.countActiveAdmins(trx, ctx.districtId)) <= 1) {
      throw new Conflict('The district needs at least one active district administrator');
    }
    if (Object.keys(changes).length === 0) return toUser(before);

    const after = await queries.updateUser(trx, ctx.districtId, userId, changes);
    // Disabling or resetting a password ends every session the user has (ASVS 7.4.2); a reset also revokes
    // their API tokens, since whoever knew the old password may have made some.
    if (changes.disabled_at || passwordHash) await endUserSessions(trx, userId);
    const revokedTokens = passwordHash ? await revokeUserTokens(trx, ctx.districtId, userId) : 0;
    await recordAudit(ctx, trx, {
      action: 'user.updated',
      subjectType: 'user',
      subjectId: userId,
      details: {
        email: before.email,
        changes: changed,
        ...(passwordHash ? { passwordReset: true, revokedTokens } : {}),
      },
    });
    return toUser(after);
  });
}
