import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createDistrict, type TestDistrict } from '../setup/factories.ts';
import { type MailCatcher, startMailCatcher } from '../setup/mail.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let mail: MailCatcher;
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;

beforeAll(async () => {
  mail = await startMailCatcher();
  server = await startTestServer({ environment: { SMTP_URL: mail.url } });
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Maple Valley Schools');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await mail?.close();
});

describe('mail in the browser', () => {
  it('an administrator invites someone, who accepts from the mail and lands in the app', async () => {
    const admin = await browser.newPage();
    await signInInBrowser(admin, server.url, district.admin.email);
    await admin.goto(`${server.url}/settings/users`);
    await admin.getByRole('button', { name: 'Invite user' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Invite user' });
    await dialog.getByLabel('Email').fill('rosa.tech@maple.example');
    await dialog.getByLabel('Name').fill('Rosa Tech');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.getByText('has been mailed an invitation').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await admin.getByText('Invited', { exact: true }).waitFor();
    await admin.close();

    const link = mail.linkIn(await mail.waitFor('rosa.tech@maple.example', /invited/));
    const page = await browser.newPage();
    await page.goto(link);
    await page.getByText('Welcome, Rosa Tech').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('rosa picks a long passphrase');
    await page.getByLabel('Confirm new password').fill('rosa picks a long passphrase');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('link', { name: 'Devices', exact: true }).waitFor();
    await page.close();
  });

  it('someone who forgot their password resets it from the mail and signs in with the new one', async () => {
    const user = await addUser(server.database, district, 'technician');
    const page = await browser.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a link to reset its password is on its way').waitFor();

    const link = mail.linkIn(await mail.waitFor(user.email, /Reset/));
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('my fresh passphrase here');
    await page.getByLabel('Confirm new password').fill('my fresh passphrase here');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Sign in with your new password.').waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill('my fresh passphrase here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Devices', exact: true }).waitFor();
    // Signed in, they land on the overview, the home page.
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });
});
