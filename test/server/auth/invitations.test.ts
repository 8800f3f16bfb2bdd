import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { createDistrict, PASSWORD, type Session, signIn } from '../../setup/factories.ts';
import { type MailCatcher, startMailCatcher } from '../../setup/mail.ts';

let mail: MailCatcher;
let withMail: TestApp;
let withoutMail: TestApp;

beforeAll(async () => {
  mail = await startMailCatcher();
  withMail = await createTestApp({ SMTP_URL: mail.url, MAIL_FROM: 'Satchel <satchel@district.example>' });
  withoutMail = await createTestApp();
});

afterAll(async () => {
  for (const testApp of [withMail, withoutMail]) {
    await testApp?.app.close();
    await testApp?.database.close();
  }
  await mail?.close();
});

function tokenOf(link: string): string {
  return new URL(link).hash.slice(1);
}

async function invite(admin: Session, email: string, role = 'technician') {
  return admin.inject({
    method: 'POST',
    url: '/api/v1/users/invitations',
    payload: { email, name: 'Ines Invited', role },
  });
}

describe('invitations', () => {
  it('mails a link that sets a password and signs the person in, once', async () => {
    const district = await createDistrict(withMail.database, 'Invite Mail District');
    const admin = await signIn(withMail.app, district.admin);
    const response = await invite(admin, 'ines@district.example');
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result).toMatchObject({
      delivery: 'email',
      link: null,
      user: { invited: true, role: 'technician' },
    });

    const received = await mail.waitFor('ines@district.example', /invited/);
    expect(received.from).toContain('satchel@district.example');
    expect(received.text).toContain('Invite Mail District');
    const link = mail.linkIn(received);
    expect(link).toMatch(/\/invitation#/);
    const token = tokenOf(link);

    const details = await withMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/details',
      payload: { token },
    });
    expect(details.json()).toMatchObject({
      email: 'ines@district.example',
      districtName: 'Invite Mail District',
      passwordAllowed: true,
    });
    // Before accepting, the account has no password to guess.
    const early = await withMail.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'ines@district.example', password: 'anything at all, really' },
    });
    expect(early.statusCode).toBe(401);

    const accepted = await withMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token, password: PASSWORD },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { email: 'ines@district.example', role: 'technician' } });
    expect(accepted.cookies.some((cookie) => cookie.name.endsWith('satchel_session'))).toBe(true);
    await signIn(withMail.app, { email: 'ines@district.example' });

    const again = await withMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token, password: 'another long passphrase' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toMatch(/expired or was already used/);

    const audit = await admin.inject({ method: 'GET', url: '/api/v1/audit-events?limit=20' });
    const actions = audit.json().events.map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['user.invited', 'user.invitation_accepted']));
  });

  it('without mail, hands the administrator the link and says so', async () => {
    const district = await createDistrict(withoutMail.database);
    const admin = await signIn(withoutMail.app, district.admin);
    const response = await invite(admin, 'nomail@district.example');
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result.delivery).toBe('link');
    expect(result.link).toMatch(/^http:\/\/localhost:3000\/invitation#.{40,}$/);
    const accepted = await withoutMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token: tokenOf(result.link), password: PASSWORD },
    });
    expect(accepted.statusCode).toBe(200);
  });

  it('a resent invitation replaces the first link', async () => {
    const district = await createDistrict(withoutMail.database);
    const admin = await signIn(withoutMail.app, district.admin);
    const first = (await invite(admin, 'twice@district.example')).json();
    const second = await admin.inject({ method: 'POST', url: `/api/v1/users/${first.user.id}/invitation` });
    expect(second.statusCode).toBe(200);
    const stale = await withoutMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/details',
      payload: { token: tokenOf(first.link) },
    });
    expect(stale.statusCode).toBe(400);
    const fresh = await withoutMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/details',
      payload: { token: tokenOf(second.json().link) },
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('refuses an email the district already has, a made-up link, and non-administrators', async () => {
    const district = await createDistrict(withoutMail.database);
    const admin = await signIn(withoutMail.app, district.admin);
    expect((await invite(admin, district.admin.email)).statusCode).toBe(409);
    const madeUp = await withoutMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token: 'x'.repeat(43), password: PASSWORD },
    });
    expect(madeUp.statusCode).toBe(400);
    const invited = (await invite(admin, 'viewer@district.example', 'viewer')).json();
    await withoutMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token: tokenOf(invited.link), password: PASSWORD },
    });
    const viewer = await signIn(withoutMail.app, { email: 'viewer@district.example' });
    expect((await invite(viewer, 'someone@district.example')).statusCode).toBe(403);
  });

  it('an invitation expires after 7 days', async () => {
    const district = await createDistrict(withoutMail.database);
    const admin = await signIn(withoutMail.app, district.admin);
    const invited = (await invite(admin, 'late@district.example')).json();
    const row = await withoutMail.database.db
      .selectFrom('account_links')
      .select(['expires_at', 'created_at'])
      .where('user_id', '=', invited.user.id)
      .executeTakeFirstOrThrow();
    const days = (row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    await withoutMail.database.db
      .updateTable('account_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', invited.user.id)
      .execute();
    const late = await withoutMail.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token: tokenOf(invited.link), password: PASSWORD },
    });
    expect(late.statusCode).toBe(400);
  });
});
