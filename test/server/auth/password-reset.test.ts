import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { addUser, createApiToken, createDistrict, PASSWORD, signIn } from '../../setup/factories.ts';
import { type MailCatcher, withMailApp } from '../../setup/mail.ts';

const env = withMailApp();
let mail: MailCatcher;
let testApp: TestApp;

beforeAll(() => {
  ({ mail, testApp } = env());
});

const NEW_PASSWORD = 'a brand new passphrase';

function ask(email: string) {
  return testApp.app.inject({ method: 'POST', url: '/api/v1/password-reset', payload: { email } });
}

function complete(token: string, password = NEW_PASSWORD) {
  return testApp.app.inject({
    method: 'POST',
    url: '/api/v1/password-reset/complete',
    payload: { token, password },
  });
}

describe('password reset by mail', () => {
  it('answers the same for an unknown email as for a real one, and mails only the real one', async () => {
    const district = await createDistrict(testApp.database);
    const user = await addUser(testApp.database, district, 'technician');
    const known = await ask(user.email);
    const unknown = await ask('nobody-here@example.org');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    await mail.waitFor(user.email, /Reset your Satchel password/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.received.some((received) => received.to.includes('nobody-here@example.org'))).toBe(false);
  });

  it('sets the new password once, ends sessions and revokes API tokens', async () => {
    const district = await createDistrict(testApp.database);
    const user = await addUser(testApp.database, district, 'technician');
    const session = await signIn(testApp.app, user);
    const apiToken = await createApiToken(session);

    await ask(user.email);
    const link = mail.linkIn(await mail.waitFor(user.email, /Reset/));
    expect(link).toMatch(/\/reset-password#/);
    const token = new URL(link).hash.slice(1);
    expect((await complete(token)).statusCode).toBe(204);

    expect((await session.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const byToken = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(byToken.statusCode).toBe(401);
    await expect(signIn(testApp.app, user, PASSWORD)).rejects.toThrow(/401/);
    await signIn(testApp.app, user, NEW_PASSWORD);

    const reused = await complete(token, 'yet another long passphrase');
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.message).toMatch(/expired or was already used/);
  });

  it('a link older than an hour no longer works', async () => {
    const district = await createDistrict(testApp.database);
    const user = await addUser(testApp.database, district, 'viewer');
    await ask(user.email);
    const token = new URL(mail.linkIn(await mail.waitFor(user.email, /Reset/))).hash.slice(1);
    const row = await testApp.database.db
      .selectFrom('account_links')
      .select(['expires_at', 'created_at'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeCloseTo(3_600_000, -3);
    await testApp.database.db
      .updateTable('account_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    expect((await complete(token)).statusCode).toBe(400);
  });

  it('sends nothing to a disabled account', async () => {
    const district = await createDistrict(testApp.database);
    const user = await addUser(testApp.database, district, 'viewer');
    const admin = await signIn(testApp.app, district.admin);
    await admin.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { disabled: true } });
    expect((await ask(user.email)).statusCode).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mail.received.some((received) => received.to.includes(user.email))).toBe(false);
  });
});

describe('password reset without mail', () => {
  it('says mail is off instead of pretending', async () => {
    const noMail = await createTestApp();
    try {
      const answer = await noMail.app.inject({
        method: 'POST',
        url: '/api/v1/password-reset',
        payload: { email: 'someone@example.org' },
      });
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toMatchObject({ mailEnabled: false });
      expect(answer.json().message).toMatch(/ask your district administrator/);
    } finally {
      await noMail.app.close();
      await noMail.database.close();
    }
  });
});
