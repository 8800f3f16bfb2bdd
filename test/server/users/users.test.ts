import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createApiToken, createDistrict, PASSWORD, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

describe('System Settings > Users', () => {
  it('lets an administrator create a user who can then sign in with that role', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const created = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'New.Tech@Example.org', name: 'New Tech', role: 'technician', password: PASSWORD },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'new.tech@example.org',
      role: 'technician',
      disabled: false,
    });
    expect(created.body).not.toContain('password');

    const tech = await signIn(app, { email: 'new.tech@example.org' });
    const me = await tech.inject({ method: 'GET', url: '/api/v1/me' });
    expect(me.json().permissions).toEqual([
      'inventory.read',
      'inventory.write',
      'mdm.read',
      'device.actions',
    ]);

    const list = await admin.inject({ method: 'GET', url: '/api/v1/users' });
    expect(list.json().users.map((u: { email: string }) => u.email)).toContain('new.tech@example.org');
  });

  it('refuses a duplicate email within the district', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: district.admin.email.toUpperCase(),
        name: 'Copy',
        role: 'viewer',
        password: PASSWORD,
      },
    });
    expect(response.statusCode).toBe(409);
  });

  it('refuses technicians and viewers on the server, by session and by token', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    for (const role of ['technician', 'viewer'] as const) {
      const user = await addUser(database, district, role);
      const session = await signIn(app, user);
      expect((await session.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
      const create = await session.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: `x-${role}@example.org`, name: 'X', role: 'district_admin', password: PASSWORD },
      });
      expect(create.statusCode).toBe(403);
      const token = await createApiToken(session);
      const byToken = await app.inject({
        method: 'GET',
        url: '/api/v1/audit-events',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(byToken.statusCode).toBe(403);
    }
  });

  it('answers 404 for another district’s user, exactly like a missing one', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const other = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const foreign = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${other.admin.id}`,
      payload: { role: 'viewer' },
    });
    const missing = await admin.inject({
      method: 'PATCH',
      url: '/api/v1/users/00000000-0000-4000-8000-000000000000',
      payload: { role: 'viewer' },
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(missing.json());
    const untouched = await database.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', other.admin.id)
      .executeTakeFirstOrThrow();
    expect(untouched.role).toBe('district_admin');
  });

  it('never takes the district from the request body', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const other = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const response = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'sneaky@example.org',
        name: 'Sneaky',
        role: 'viewer',
        password: PASSWORD,
        districtId: other.id,
      },
    });
    expect(response.statusCode).toBe(400);
    const patch = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${district.admin.id}`,
      payload: { district_id: other.id },
    });
    expect(patch.statusCode).toBe(400);
  });

  it('changes roles with the change audited, and keeps at least one active administrator', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const demoteSelf = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${district.admin.id}`,
      payload: { role: 'viewer' },
    });
    expect(demoteSelf.statusCode).toBe(409);
    const disableSelf = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${district.admin.id}`,
      payload: { disabled: true },
    });
    expect(disableSelf.statusCode).toBe(409);

    const tech = await addUser(database, district, 'technician');
    const promoted = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${tech.id}`,
      payload: { role: 'district_admin' },
    });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().role).toBe('district_admin');
    const event = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject_id', '=', tech.id)
      .where('action', '=', 'user.updated')
      .executeTakeFirstOrThrow();
    expect(event.actor_user_id).toBe(district.admin.id);
    expect(event.details).toMatchObject({ changes: { role: { from: 'technician', to: 'district_admin' } } });

    const demoteSelfNow = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${district.admin.id}`,
      payload: { role: 'viewer' },
    });
    expect(demoteSelfNow.statusCode).toBe(200);
  });

  it('ends sessions and stops tokens when a user is disabled', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const user = await addUser(database, district, 'technician');
    const session = await signIn(app, user);
    const token = await createApiToken(session);
    const disabled = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await session.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const byToken = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(401);
    const sessions = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(sessions).toEqual([]);

    await admin.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { disabled: false } });
    await signIn(app, user);
  });

  it('lets an administrator reset a password, ending the user’s sessions', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const user = await addUser(database, district, 'viewer');
    const session = await signIn(app, user);
    const short = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const reset = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { password: 'reset by the administrator' },
    });
    expect(reset.statusCode).toBe(200);
    expect((await session.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    await signIn(app, user, 'reset by the administrator');
    const event = await database.db
      .selectFrom('audit_events')
      .select('details')
      .where('subject_id', '=', user.id)
      .where('action', '=', 'user.updated')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ passwordReset: true });
    expect(JSON.stringify(event.details)).not.toContain('reset by the administrator');
  });
});

describe('audit log', () => {
  it('shows an administrator only their own district’s events, newest first, in pages', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const other = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    await signIn(app, other.admin);
    for (let index = 0; index < 3; index++) await addUser(database, district, 'viewer');
    const first = await admin.inject({ method: 'GET', url: '/api/v1/audit-events?limit=2' });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.events).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const all = await admin.inject({ method: 'GET', url: '/api/v1/audit-events?limit=200' });
    const events = all.json().events as { actor: { label: string }; createdAt: string }[];
    expect(events.some((event) => event.actor.label === other.admin.email)).toBe(false);
    const times = events.map((event) => event.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('is append-only in the database', async () => {
    const { database } = testApp();
    const district = await createDistrict(database);
    await expect(
      database.db
        .updateTable('audit_events')
        .set({ action: 'rewritten' })
        .where('district_id', '=', district.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
  });
});
