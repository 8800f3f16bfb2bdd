import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { FakeOidc } from '../../fakes/oidc/index.ts';
import { addUser, createDistrict, type TestDistrict } from '../setup/factories.ts';
import { signInEnvironment, startSignInFakes } from '../setup/oidc.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { freePort, type RunningTestServer, startTestServer, testServerUrl } from './server.ts';

const TENANT = '3c2b1a09-8765-4321-8abc-def012345678';
let fakes: { google: FakeOidc; microsoft: FakeOidc };
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;

async function member(email: string, role: 'technician' | 'viewer' = 'technician') {
  const user = await addUser(server.database, district, role);
  await server.database.db.updateTable('users').set({ email }).where('id', '=', user.id).execute();
  return { ...user, email };
}

async function signInWith(provider: 'Google' | 'Microsoft', email: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).focus();
  await page.getByRole('link', { name: `Sign in with ${provider}` }).click();
  return page;
}

beforeAll(async () => {
  const port = await freePort();
  fakes = await startSignInFakes(testServerUrl(port));
  server = await startTestServer({ port, environment: signInEnvironment(fakes) });
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Birch Valley Schools');

  const admin = await browser.newPage();
  await signInInBrowser(admin, server.url, district.admin.email);
  await admin.goto(`${server.url}/settings/sign-in`);
  await admin.getByRole('heading', { name: 'Sign-in' }).waitFor();
  await admin.getByPlaceholder('district.org').fill('birch.example');
  await admin.getByPlaceholder('district.org').press('Enter');
  await admin.getByLabel('Sign in with Google').check();
  await admin.getByLabel('Sign in with Microsoft').check();
  await admin.getByLabel('Entra ID tenant id').fill(TENANT);
  await admin.getByRole('button', { name: 'Save sign-in settings' }).click();
  await admin.getByText('Sign-in settings saved.').waitFor();
  await admin.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fakes?.google.close();
  await fakes?.microsoft.close();
});

describe('single sign-on in the browser', () => {
  it('signs in with Google', async () => {
    const user = await member('gail@birch.example');
    fakes.google.addAccount({ email: user.email, name: 'Gail', hd: 'birch.example' });
    const page = await signInWith('Google', user.email);
    await page.getByRole('link', { name: 'Devices' }).waitFor();
    await page.close();
  });

  it('signs in with Microsoft', async () => {
    const user = await member('mona@birch.example');
    fakes.microsoft.addAccount({ email: user.email, name: 'Mona', tid: TENANT });
    const page = await signInWith('Microsoft', user.email);
    await page.getByRole('link', { name: 'Devices' }).waitFor();
    await page.close();
  });

  it('refuses a Google account of another domain and a Microsoft account of another tenant', async () => {
    const user = await member('odd@birch.example');
    fakes.google.addAccount({ email: user.email, name: 'Odd', hd: 'elsewhere.example' });
    const google = await signInWith('Google', user.email);
    await google.getByText('not one of your district’s domains').waitFor();
    await google.close();
    fakes.microsoft.addAccount({
      email: user.email,
      name: 'Odd',
      tid: '00000000-0000-4000-8000-000000000000',
    });
    const microsoft = await signInWith('Microsoft', user.email);
    await microsoft.getByText('belongs to another organization').waitFor();
    await microsoft.close();
  });

  it('refuses a deactivated user', async () => {
    const user = await member('gone@birch.example');
    fakes.google.addAccount({ email: user.email, name: 'Gone', hd: 'birch.example' });
    await server.database.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    const page = await signInWith('Google', user.email);
    await page.getByText('Your Satchel account has been disabled').waitFor();
    await page.close();
  });
});
