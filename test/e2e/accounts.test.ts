import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/context.ts';
import { createUser } from '../../src/server/users/service.ts';
import { silentLog } from '../setup/app.ts';
import { addUser, createDistrict, PASSWORD } from '../setup/factories.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let server: RunningTestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('accounts and tokens in the browser', () => {
  it('asks which district when the email and password open accounts in two, and signs in to the one picked', async () => {
    const email = `two-districts-${randomUUID().slice(0, 8)}@example.org`;
    for (const name of ['Oak Hollow Schools', 'Pine Ridge Schools']) {
      const district = await createDistrict(server.database, name);
      const ctx = { ...systemContext(district.id, silentLog), userId: district.admin.id };
      await createUser(ctx, server.database.db, {
        email,
        name: 'Sam Both',
        role: 'viewer',
        password: PASSWORD,
      });
    }
    const page = await browser.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Your email is used in more than one district').waitFor();
    await page.getByRole('button', { name: 'Pine Ridge Schools' }).click();
    await page.getByRole('link', { name: 'Devices' }).waitFor();
    await expect(page.getByText('Pine Ridge Schools').first().isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('lets an administrator revoke a colleague’s API token, reached from the Users page', async () => {
    const district = await createDistrict(server.database, 'Cedar Unified');
    const technician = await addUser(server.database, district, 'technician');
    const { database } = server;
    await database.db
      .insertInto('api_tokens')
      .values({
        district_id: district.id,
        user_id: technician.id,
        name: 'Laptop script',
        prefix: 'satchel_pat_abcdef',
        token_hash: randomUUID(),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute();
    const page = await browser.newPage();
    await signInInBrowser(page, server.url, district.admin.email);
    await page.goto(`${server.url}/settings/users`);
    await page.getByRole('link', { name: 'API tokens of technician user' }).click();
    await page.getByRole('button', { name: "Revoke technician user's token Laptop script" }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('No live API tokens for this user.').waitFor();
    const stored = await database.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('user_id', '=', technician.id)
      .executeTakeFirstOrThrow();
    expect(stored.revoked_at).toBeInstanceOf(Date);
    await page.close();
  });
});
