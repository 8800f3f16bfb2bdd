import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/server/auth/crypto.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, signIn } from '../../setup/factories.ts';

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
    expect(token).toMatchObject({ name: 'inventory sync', lastUsedAt: null, expiresAt: null });
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
