import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, PASSWORD, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

function signInAttempt(email: string, password: string, remoteAddress = '203.0.113.9') {
  return testApp().app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
    remoteAddress,
  });
}

describe('accounts per district', () => {
  it('lets each district have its own account for one email, and reveals nothing about the others', async () => {
    const { app, database } = testApp();
    const first = await createDistrict(database);
    const second = await createDistrict(database);
    const email = `shared-${randomUUID()}@example.org`;
    const firstAdmin = await signIn(app, first.admin);
    const secondAdmin = await signIn(app, second.admin);
    const payload = { email, name: 'Sam Shared', role: 'technician', password: PASSWORD };

    const inFirst = await firstAdmin.inject({ method: 'POST', url: '/api/v1/users', payload });
    expect(inFirst.statusCode).toBe(201);
    // The other district neither learns of the account nor is blocked by it.
    const inSecond = await secondAdmin.inject({ method: 'POST', url: '/api/v1/users', payload });
    expect(inSecond.statusCode).toBe(201);
    const again = await secondAdmin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { ...payload, email: email.toUpperCase() },
    });
    expect(again.statusCode).toBe(409);
  });

  it('asks which district after the password proves the accounts, then signs in to the one picked', async () => {
    const { app, database } = testApp();
    const first = await createDistrict(database, `Alder ${randomUUID().slice(0, 6)}`);
    const second = await createDistrict(database, `Birch ${randomUUID().slice(0, 6)}`);
    const email = `both-${randomUUID()}@example.org`;
    for (const district of [first, second]) {
      const admin = await signIn(app, district.admin);
      const payload = { email, name: 'Both Districts', role: 'viewer', password: PASSWORD };
      expect((await admin.inject({ method: 'POST', url: '/api/v1/users', payload })).statusCode).toBe(201);
    }

    const wrong = await signInAttempt(email, 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('district');

    const answer = await signInAttempt(email, PASSWORD);
    expect(answer.statusCode).toBe(200);
    expect(answer.cookies).toEqual([]);
    const { districtChoice } = answer.json();
    expect(districtChoice.districts.map((district: { id: string }) => district.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );

    const chosen = await app.inject({
      method: 'POST',
      url: '/api/v1/session/district',
      payload: { ticket: districtChoice.ticket, districtId: second.id },
    });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().district.id).toBe(second.id);
    expect(chosen.cookies.some((cookie) => cookie.name === 'satchel_session')).toBe(true);

    const outsider = await createDistrict(database);
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/v1/session/district',
      payload: { ticket: districtChoice.ticket, districtId: outsider.id },
    });
    expect(elsewhere.statusCode).toBe(401);
    const [payload] = districtChoice.ticket.split('.');
    const forged = await app.inject({
      method: 'POST',
      url: '/api/v1/session/district',
      payload: { ticket: `${payload}.forged-signature`, districtId: first.id },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('signs straight in when the password opens the account in one district only', async () => {
    const { app, database } = testApp();
    const first = await createDistrict(database);
    const second = await createDistrict(database);
    const email = `one-${randomUUID()}@example.org`;
    const passwords = [PASSWORD, 'another long passphrase'];
    for (const [index, district] of [first, second].entries()) {
      const admin = await signIn(app, district.admin);
      const payload = { email, name: 'Two Passwords', role: 'viewer', password: passwords[index] };
      await admin.inject({ method: 'POST', url: '/api/v1/users', payload });
    }
    const answer = await signInAttempt(email, 'another long passphrase', '203.0.113.10');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().district.id).toBe(second.id);
  });
});
