import { describe, expect, it } from 'vitest';
import { SIGN_IN_REFUSED } from '../../../src/server/auth/sign-in.ts';
import { FREE_FAILURES } from '../../../src/server/auth/sign-in-throttle.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, PASSWORD, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

async function auditActions(userId: string): Promise<string[]> {
  const rows = await testApp()
    .database.db.selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.action);
}

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and returns the user with a CSRF token', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: district.admin.email.toUpperCase(), password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user.email).toBe(district.admin.email);
    expect(body.district.id).toBe(district.id);
    expect(body.permissions).toContain('system.settings');
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const cookie = response.cookies.find((c) => c.name === 'satchel_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(await auditActions(district.admin.id)).toContain('auth.signed_in');
  });

  it('stores only a hash of the session token', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const token = session.cookie.split('=')[1]!;
    const stored = await database.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', district.admin.id)
      .execute();
    expect(stored.length).toBe(1);
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('issues a new session id at every sign-in', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const first = await signIn(app, district.admin);
    const second = await signIn(app, district.admin);
    expect(first.cookie).not.toBe(second.cookie);
    expect(first.csrfToken).not.toBe(second.csrfToken);
  });

  it('gives the same answer for a wrong password and an unknown email, and audits the failure', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: district.admin.email, password: 'not the password' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'nobody@example.org', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies).toEqual([]);
    expect(await auditActions(district.admin.id)).toContain('auth.sign_in_failed');
  });

  it('makes an address wait after repeated failures, answering exactly as for a wrong password', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const user = await addUser(database, district, 'viewer');
    const attempt = (email: string, password: string, remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress });

    const answers: { statusCode: number; body: string }[] = [];
    for (let index = 0; index <= FREE_FAILURES; index++) {
      answers.push(await attempt(user.email, `wrong ${index}`, '10.0.0.1'));
      answers.push(await attempt('nobody-here@example.org', `wrong ${index}`, '10.0.0.2'));
    }
    // The right password from the address that must wait: refused, in the same words.
    answers.push(await attempt(user.email, PASSWORD, '10.0.0.1'));
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'unauthenticated', message: SIGN_IN_REFUSED },
      });
    }
    expect(await auditActions(user.id)).toContain('auth.sign_in_throttled');

    // Whoever guessed from elsewhere cannot keep the owner out.
    expect((await attempt(user.email, PASSWORD, '10.0.0.3')).statusCode).toBe(200);

    // Once the wait is over, the right password works from that address too.
    await database.db
      .updateTable('sign_in_throttles')
      .set({ blocked_until: new Date(Date.now() - 1000) })
      .execute();
    expect((await attempt(user.email, PASSWORD, '10.0.0.1')).statusCode).toBe(200);
  });

  it('takes comparable time for an unknown email, a wrong password and an address that must wait', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const user = await addUser(database, district, 'viewer');
    let address = 0;
    const timed = async (email: string, remoteAddress: string) => {
      const started = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email, password: 'not the password' },
        remoteAddress,
      });
      expect(response.statusCode).toBe(401);
      return performance.now() - started;
    };
    // Two waiting addresses, so neither reaches the ten-a-minute limit per address.
    const waitingAddresses = ['10.1.0.1', '10.1.0.2'];
    for (const waitingAddress of waitingAddresses)
      for (let index = 0; index < FREE_FAILURES; index++) await timed(user.email, waitingAddress);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const unknown: number[] = [];
    const wrong: number[] = [];
    const waiting: number[] = [];
    for (let round = 0; round < 9; round++) {
      address++;
      unknown.push(await timed(`nobody-${round}@example.org`, `10.2.0.${address}`));
      wrong.push(await timed(user.email, `10.3.0.${address}`));
      waiting.push(await timed(user.email, waitingAddresses[round % 2]!));
    }
    const medians = [median(unknown), median(wrong), median(waiting)];
    // Each refusal checks a password hash (tens of milliseconds); what differs is a query or two.
    // A generous bound: other test files share the machine, and what would leak an account is a gap of the size
    // of a password check against none (an unknown email answered without hashing), a ratio well above this.
    expect(Math.max(...medians) / Math.min(...medians), JSON.stringify(medians)).toBeLessThan(2.5);
  });

  it('rate-limits sign-in attempts from one address', async () => {
    const { app } = testApp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: 'flood@example.org', password: 'whatever' },
        remoteAddress: '192.0.2.77',
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('refuses a disabled user with the generic message', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const user = await addUser(database, district, 'technician');
    await database.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toBe(SIGN_IN_REFUSED);
  });
});

describe('sessions', () => {
  it('reads the current session and ends it server-side on sign-out', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const current = await session.inject({ method: 'GET', url: '/api/v1/session' });
    expect(current.statusCode).toBe(200);
    expect(current.json().csrfToken).toBe(session.csrfToken);

    const signOut = await session.inject({ method: 'DELETE', url: '/api/v1/session' });
    expect(signOut.statusCode).toBe(204);
    const replayed = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: session.cookie },
    });
    expect(replayed.statusCode).toBe(401);
  });

  it('expires after 30 minutes idle', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    await database.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('user_id', '=', district.admin.id)
      .execute();
    const response = await session.inject({ method: 'GET', url: '/api/v1/me' });
    expect(response.statusCode).toBe(401);
    const remaining = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', district.admin.id)
      .execute();
    expect(remaining).toEqual([]);
  });

  it('expires 12 hours after sign-in even when active', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const sessionRow = await database.db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at'])
      .where('user_id', '=', district.admin.id)
      .executeTakeFirstOrThrow();
    expect(sessionRow.expires_at.getTime() - sessionRow.created_at.getTime()).toBeGreaterThan(
      11.9 * 3600_000,
    );
    expect(sessionRow.expires_at.getTime() - sessionRow.created_at.getTime()).toBeLessThanOrEqual(
      12 * 3600_000 + 5000,
    );
    await database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', district.admin.id)
      .execute();
    expect((await session.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses cookie-authenticated writes without the token or with another session’s token', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const other = await signIn(app, district.admin);
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: session.cookie },
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf');
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: session.cookie, 'x-csrf-token': other.csrfToken },
      payload: { name: 'x' },
    });
    expect(foreign.statusCode).toBe(403);
    const good = await session.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'x' } });
    expect(good.statusCode).toBe(201);
  });

  it('lets reads through without the token', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: session.cookie },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('own password', () => {
  it('changes the password, keeps this session and ends the others', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const user = await addUser(database, district, 'viewer');
    const here = await signIn(app, user);
    const elsewhere = await signIn(app, user);
    const wrong = await here.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: 'not it', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    const changed = await here.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await here.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await elsewhere.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    await expect(signIn(app, user)).rejects.toThrow(/401/);
    await signIn(app, user, 'a brand new passphrase');
  });
});
