import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/server/auth/crypto.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, PASSWORD, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

describe('personal API tokens', () => {
  it('shows the secret once, stores only its hash, and authenticates as the user without CSRF', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const created = await session.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'inventory sync' },
    });
    expect(created.statusCode).toBe(201);
    const { secret, token } = created.json();
    expect(secret).toMatch(/^satchel_pat_[\w-]{43}$/);
    expect(token).toMatchObject({ name: 'inventory sync', lastUsedAt: null });
    expect(secret.startsWith(token.prefix)).toBe(true);

    const stored = await database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const listed = await session.inject({ method: 'GET', url: '/api/v1/tokens' });
    expect(listed.body).not.toContain(secret);
    expect(listed.json().tokens.map((t: { id: string }) => t.id)).toEqual([token.id]);

    const bearer = { authorization: `Bearer ${secret}` };
    const users = await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer });
    expect(users.statusCode).toBe(200);
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer,
      payload: { name: 'made by a script' },
    });
    expect(write.statusCode).toBe(201);

    const used = await database.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);

    const events = await database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', token.id)
      .execute();
    expect(events.map((event) => event.action)).toEqual(['token.created']);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('carries only the owner’s permissions', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const viewer = await addUser(database, district, 'viewer');
    const session = await signIn(app, viewer);
    const created = await session.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'read only' },
    });
    const bearer = { authorization: `Bearer ${created.json().secret}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).json().user.id).toBe(
      viewer.id,
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer })).statusCode).toBe(403);
  });

  it('stops working once revoked, and only its owner can revoke it', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const owner = await signIn(app, district.admin);
    const colleague = await signIn(app, await addUser(database, district, 'district_admin'));
    const created = (
      await owner.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'temp' } })
    ).json();
    const bearer = { authorization: `Bearer ${created.secret}` };

    const notTheirs = await colleague.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.token.id}` });
    expect(notTheirs.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);

    const revoked = await owner.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.token.id}` });
    expect(revoked.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
    expect((await owner.inject({ method: 'GET', url: '/api/v1/tokens' })).json().tokens).toEqual([]);
    const again = await owner.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.token.id}` });
    expect(again.statusCode).toBe(404);
  });

  it('expires when asked to', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const created = (
      await session.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'short', expiresInDays: 30 },
      })
    ).json();
    expect(new Date(created.token.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.token.id)
      .execute();
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${created.secret}` },
    });
    expect(response.statusCode).toBe(401);
  });

  it('rejects malformed and unknown bearer tokens without falling back to the cookie', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    for (const authorization of [
      'Bearer',
      'Bearer satchel_pat_unknown',
      'Basic abc',
      `Bearer ${session.cookie}`,
    ]) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization, cookie: session.cookie },
      });
      expect(response.statusCode).toBe(401);
    }
  });
});

const DAY_MS = 86_400_000;

describe('API token limits', () => {
  it('lives at most the district maximum: a year unless the district chooses otherwise', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const unlimited = await admin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'forever' },
    });
    const expiresIn = new Date(unlimited.json().token.expiresAt).getTime() - Date.now();
    expect(Math.round(expiresIn / DAY_MS)).toBe(365);

    const changed = await admin.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      payload: { tokenMaxLifetimeDays: 30 },
    });
    expect(changed.json()).toMatchObject({ tokenMaxLifetimeDays: 30, mdmHistoryRetentionDays: 90 });
    const tooLong = await admin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'too long', expiresInDays: 90 },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details).toEqual([expect.objectContaining({ path: 'expiresInDays' })]);
    const capped = await admin.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'no expiry asked', expiresInDays: null },
    });
    const cappedIn = new Date(capped.json().token.expiresAt).getTime() - Date.now();
    expect(Math.round(cappedIn / DAY_MS)).toBe(30);

    // A token made under the old maximum stops once it is older than the new one.
    await sql`update api_tokens set created_at = now() - interval '31 days' where id = ${unlimited.json().token.id}`.execute(
      database.db,
    );
    const old = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${unlimited.json().secret}` },
    });
    expect(old.statusCode).toBe(401);
  });

  it('lets administrators list and revoke anyone’s tokens in their district, and nobody else', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const technician = await addUser(database, district, 'technician');
    const technicianSession = await signIn(app, technician);
    const created = (
      await technicianSession.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'laptop script' },
      })
    ).json();

    const listed = await admin.inject({ method: 'GET', url: `/api/v1/api-tokens?userId=${technician.id}` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().tokens).toEqual([
      expect.objectContaining({
        id: created.token.id,
        owner: expect.objectContaining({ id: technician.id }),
      }),
    ]);
    expect((await technicianSession.inject({ method: 'GET', url: '/api/v1/api-tokens' })).statusCode).toBe(
      403,
    );

    const other = await createDistrict(database);
    const otherAdmin = await signIn(app, other.admin);
    expect((await otherAdmin.inject({ method: 'GET', url: '/api/v1/api-tokens' })).json().tokens).toEqual([]);
    const foreign = await otherAdmin.inject({
      method: 'DELETE',
      url: `/api/v1/api-tokens/${created.token.id}`,
    });
    expect(foreign.statusCode).toBe(404);

    const revoked = await admin.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${created.token.id}` });
    expect(revoked.statusCode).toBe(204);
    const bearer = { authorization: `Bearer ${created.secret}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
  });

  it('stops working when an administrator resets the owner’s password', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const user = await addUser(database, district, 'technician');
    const session = await signIn(app, user);
    const { secret } = (
      await session.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'nightly' } })
    ).json();
    const reset = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { password: 'reset by the administrator' },
    });
    expect(reset.statusCode).toBe(200);
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
  });

  it('stops working after the owner changes their password, when they ask for it', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const user = await addUser(database, district, 'technician');
    const session = await signIn(app, user);
    const token = async (name: string) =>
      (await session.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name } })).json()
        .secret as string;
    const kept = await token('kept');
    const change = (payload: Record<string, unknown>) =>
      session.inject({ method: 'POST', url: '/api/v1/me/password', payload });
    const newPassword = 'a brand new passphrase';
    expect((await change({ currentPassword: PASSWORD, newPassword })).statusCode).toBe(204);
    const works = (secret: string) =>
      app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    expect((await works(kept)).statusCode).toBe(200);

    const revoked = await token('revoked');
    const second = await change({
      currentPassword: newPassword,
      newPassword: PASSWORD,
      revokeApiTokens: true,
    });
    expect(second.statusCode).toBe(204);
    expect((await works(revoked)).statusCode).toBe(401);
    expect((await works(kept)).statusCode).toBe(401);
  });
});
