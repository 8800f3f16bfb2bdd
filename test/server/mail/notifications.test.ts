import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../src/server/context.ts';
import { ProviderError } from '../../../src/server/errors.ts';
import { failRun } from '../../../src/server/mdm/sync/finish.ts';
import { EMPTY_COUNTERS, queueRun } from '../../../src/server/mdm/sync/runs.ts';
import { silentLog, type TestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn, type TestDistrict } from '../../setup/factories.ts';
import { type MailCatcher, withMailApp } from '../../setup/mail.ts';

const env = withMailApp();
let mail: MailCatcher;
let testApp: TestApp;

beforeAll(() => {
  ({ mail, testApp } = env());
});

async function optIn(admin: Session, choice: { reauthorization: boolean; syncFailures: boolean }) {
  const response = await admin.inject({ method: 'PUT', url: '/api/v1/me/notifications', payload: choice });
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ ...choice, mailEnabled: true });
}

/** A Google connection, and a sync run on it that fails the way a provider fault ends a run. */
async function connection(district: TestDistrict) {
  const row = await testApp.database.db
    .insertInto('mdm_connections')
    .values({ district_id: district.id, provider: 'google', state: 'active', settings: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ctx = systemContext(district.id, silentLog);
  return async (error: ProviderError) => {
    const { run } = await queueRun(testApp.database.db, {
      districtId: district.id,
      connectionId: row.id,
      provider: 'google',
      trigger: 'schedule',
    });
    await failRun(
      ctx,
      { db: testApp.database.db, config: testApp.deps.config },
      { provider: 'google', runId: run.id, counters: EMPTY_COUNTERS },
      error,
    );
  };
}

function mailsTo(email: string, subject: RegExp): number {
  return mail.received.filter((received) => received.to.includes(email) && subject.test(received.subject))
    .length;
}

describe('notifications an administrator opts into', () => {
  it('mails once when a sync has failed three times in a row, not before and not at the fourth', async () => {
    const district = await createDistrict(testApp.database);
    const admin = await signIn(testApp.app, district.admin);
    const otherAdmin = await addUser(testApp.database, district, 'district_admin');
    await optIn(admin, { reauthorization: false, syncFailures: true });
    const fail = await connection(district);
    const transient = new ProviderError('transient', 'Google answered 503 three times');
    await fail(transient);
    await fail(transient);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(district.admin.email, /failed 3 times/)).toBe(0);
    await fail(transient);
    const received = await mail.waitFor(district.admin.email, /failed 3 times in a row/);
    expect(received.text).toContain('Google answered 503 three times');
    expect(received.text).toContain('/settings/mdm');
    await fail(transient);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(district.admin.email, /failed 3 times/)).toBe(1);
    // Only those who asked get it.
    expect(mailsTo(otherAdmin.email, /failed/)).toBe(0);
  });

  it('mails when a provider needs authorizing again', async () => {
    const district = await createDistrict(testApp.database);
    const admin = await signIn(testApp.app, district.admin);
    await optIn(admin, { reauthorization: true, syncFailures: false });
    const fail = await connection(district);
    await fail(new ProviderError('auth_revoked', 'The grant was revoked'));
    const received = await mail.waitFor(district.admin.email, /needs to be authorized again/);
    expect(received.text).toContain('The grant was revoked');
  });

  it('is for administrators only', async () => {
    const district = await createDistrict(testApp.database);
    const viewer = await addUser(testApp.database, district, 'viewer');
    const session = await signIn(testApp.app, viewer);
    const response = await session.inject({
      method: 'PUT',
      url: '/api/v1/me/notifications',
      payload: { reauthorization: true, syncFailures: true },
    });
    expect(response.statusCode).toBe(403);
  });
});
