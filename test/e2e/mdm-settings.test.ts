import { generateKeyPairSync } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type FakeGoogle, generateFleet, startFakeGoogle } from '../../fakes/google/index.ts';
import { addUser, createDistrict, PASSWORD, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { freePort, type RunningTestServer, startTestServer, testServerUrl } from './server.ts';

const DOMAIN = 'hillcrest.k12.example.org';
const ADMIN_EMAIL = `admin@${DOMAIN}`;
const PROVIDER = 'Google Admin (ChromeOS)';
const SA_EMAIL = 'satchel-sync@hillcrest-project.iam.gserviceaccount.com';
const saKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

let fake: FakeGoogle;
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let page: Page;

async function signIn(target: Page, email: string): Promise<void> {
  await target.goto(`${server.url}/devices`);
  await target.getByLabel('Email').fill(email);
  await target.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await target.getByRole('button', { name: 'Sign in' }).click();
  await target.getByRole('link', { name: 'Devices' }).waitFor();
}

beforeAll(async () => {
  // The OAuth redirect URI has to be registered with the fake before Satchel starts, so fix the port first.
  const port = await freePort();
  fake = await startFakeGoogle({
    fleets: { [DOMAIN]: generateFleet({ size: 20, seed: 11 }) },
    customers: [{ domain: DOMAIN }],
    serviceAccounts: [
      {
        clientEmail: SA_EMAIL,
        publicKeyPem: saKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        allowedSubjects: [ADMIN_EMAIL],
      },
    ],
    clients: [
      {
        ...DEFAULT_CLIENT,
        redirectUris: [`${testServerUrl(port)}/api/v1/mdm/providers/google/oauth/callback`],
      },
    ],
  });
  server = await startTestServer({
    port,
    environment: {
      GOOGLE_CLIENT_ID: DEFAULT_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret ?? '',
      GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_OAUTH_REVOKE_URL: fake.revokeUrl,
      GOOGLE_API_ROOT_URL: fake.apiRootUrl,
    },
  });
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Hillcrest Unified');
  page = await browser.newPage();
  // Sign-in is rate limited per address: the administrator signs in once for the whole file.
  await signIn(page, district.admin.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

function tile(): Locator {
  return page.getByRole('region', { name: PROVIDER });
}

function status(text: string): Locator {
  return tile().getByText(text, { exact: true });
}

const tokenRequests = () => fake.requests.filter((entry) => entry.kind === 'token');

describe('System Settings › MDM Settings', () => {
  it('activates Google, authorizes it on the consent screen and shows it active', async () => {
    await page.getByRole('link', { name: 'System Settings' }).click();
    await page.getByRole('tab', { name: 'MDM Settings' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/mdm');
    await page.getByText('Enabling a provider changes Satchel for everyone').waitFor();
    await status('Inactive').waitFor();
    await expect(tile().getByText('Never', { exact: true }).isVisible()).resolves.toBe(true);
    // The setup guide opens inside Satchel, as formatted text.
    await tile().getByRole('button', { name: 'Setup guide' }).click();
    const guide = page.getByRole('dialog');
    await guide.getByRole('heading').first().waitFor();
    await page.keyboard.press('Escape');
    await guide.waitFor({ state: 'hidden' });

    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    await expect(dialog.getByLabel('Google customer').inputValue()).resolves.toBe('my_customer');
    // The server's validation message shows next to its field.
    await dialog.getByLabel('Google customer').fill('acme');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.getByText('Use my_customer or your Google customer ID (C0…)').waitFor();
    await status('Inactive').waitFor();
    await dialog.getByLabel('Google customer').fill('my_customer');
    await dialog.getByLabel('Org units to sync').fill('/Students');
    await dialog.getByLabel('Org units to sync').press('Enter');
    await expect(
      dialog.getByRole('radio', { name: 'Sign in with a Google admin account (OAuth)' }).isChecked(),
    ).resolves.toBe(true);
    // Satchel asks only about devices in the inventory unless the district chooses otherwise, and shows what
    // each choice costs this district and what an exact lookup can miss.
    await expect(dialog.getByRole('radio', { name: /^Only devices in Satchel/ }).isChecked()).resolves.toBe(
      true,
    );
    await dialog
      .getByText(/For \d+ tracked devices: about \d+ API calls? per full sync/)
      .first()
      .waitFor();
    await dialog.getByText('not one stored with spaces', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await status('Needs authorization').waitFor();
    await tile().getByText('/Students', { exact: true }).waitFor();
    await tile().getByText('Only devices in Satchel', { exact: true }).waitFor();

    const mark = fake.mark();
    await tile().getByRole('button', { name: 'Authorize with Google' }).click();
    await page.waitForURL((url) => url.origin === fake.url);
    await page.getByLabel('Google account').fill(ADMIN_EMAIL);
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/settings/mdm');
    await page.getByText('Authorization complete').waitFor();
    await page.getByText(`${PROVIDER} is active, authorized by ${ADMIN_EMAIL}.`).waitFor();
    await status('Active').waitFor();
    await tile().getByText(`Authorized by ${ADMIN_EMAIL} on`).waitFor();
    // The callback's parameters are taken out of the address once reported.
    await page.waitForURL((url) => url.search === '');
    await expect(page.getByRole('tab', { name: 'MDM Settings' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );

    const since = fake.requestsSince(mark);
    expect(since.filter((entry) => entry.kind === 'token')).toHaveLength(1);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('deactivates after confirmation, and re-activates with the stored authorization', async () => {
    await tile().getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('dialog', { name: `Deactivate ${PROVIDER}` });
    await confirm.getByText('labelled as coming from an inactive provider', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await status('Inactive').waitFor();
    await tile().getByText('Deactivated by', { exact: false }).waitFor();

    // The stored settings come back pre-filled; the kept authorization makes it active straight away.
    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    await dialog.getByText('/Students', { exact: true }).waitFor();
    await dialog.getByText('becomes active again straight away', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await status('Active').waitFor();
    expect(tokenRequests()).toHaveLength(1);

    await tile().getByRole('button', { name: 'Deactivate' }).click();
    await page
      .getByRole('dialog', { name: `Deactivate ${PROVIDER}` })
      .getByRole('button', { name: 'Deactivate' })
      .click();
    await status('Inactive').waitFor();
  });

  it('shows why an authorization did not complete when access is denied on the consent screen', async () => {
    await tile().getByRole('button', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('dialog', { name: `Disconnect ${PROVIDER}` });
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await tile().getByText('Not authorized', { exact: true }).waitFor();
    expect(fake.requests.filter((entry) => entry.kind === 'revoke')).toHaveLength(1);

    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await status('Needs authorization').waitFor();

    await tile().getByRole('button', { name: 'Authorize with Google' }).click();
    await page.waitForURL((url) => url.origin === fake.url);
    await page.getByRole('button', { name: 'Deny' }).click();

    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/settings/mdm');
    const alert = page.getByRole('alert').filter({ hasText: `Authorizing ${PROVIDER} did not complete` });
    await alert.getByText('Access was denied', { exact: false }).waitFor();
    await page.waitForURL((url) => url.search === '');
    await status('Needs authorization').waitFor();
    // Denying never reaches the token endpoint.
    expect(tokenRequests()).toHaveLength(1);
  });

  it('shows only its own message for an error code in the address, never text put there', async () => {
    const planted = 'Your district account is suspended: call 555-0100 to restore it';
    await page.goto(
      `${server.url}/settings/mdm?${new URLSearchParams({ provider: 'google', error: planted })}`,
    );
    const alert = page.getByRole('alert').filter({ hasText: `Authorizing ${PROVIDER} did not complete` });
    await alert.getByText('did not complete; start it again', { exact: false }).waitFor();
    expect(await page.getByText('555-0100', { exact: false }).count()).toBe(0);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'hidden' });
  });

  it('switches to a service account and authorizes it with an uploaded JSON key', async () => {
    await tile().getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: `${PROVIDER} settings` });
    await dialog.getByRole('radio', { name: 'Service account with domain-wide delegation' }).check();
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The denied authorization's message goes once the provider's state moves on.
    await page.getByText(`Authorizing ${PROVIDER} did not complete`).waitFor({ state: 'hidden' });

    const keyForm = tile().getByRole('form', { name: `Service-account key for ${PROVIDER}` });
    const fileInput = keyForm.locator('input[type="file"]');
    await fileInput.setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('this is not a key'),
    });
    await keyForm.getByLabel('Admin email to act as').fill(ADMIN_EMAIL);
    await keyForm.getByRole('button', { name: 'Upload and test' }).click();
    await keyForm.getByText('The key file is not JSON', { exact: false }).waitFor();
    await status('Needs authorization').waitFor();

    const key = {
      type: 'service_account',
      project_id: 'hillcrest-project',
      client_email: SA_EMAIL,
      private_key: saKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    await fileInput.setInputFiles({
      name: 'hillcrest-project-key.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(key, null, 2)),
    });
    await keyForm.getByRole('button', { name: 'Upload and test' }).click();
    await status('Active').waitFor();
    // Said even though the form is gone as soon as the tile turns active.
    await page.getByText('Connection tested', { exact: true }).waitFor();
    await tile().getByText(`Authorized by ${SA_EMAIL} as ${ADMIN_EMAIL} on`).waitFor();
    await tile().getByText('Service account with domain-wide delegation', { exact: true }).waitFor();

    await tile().getByRole('button', { name: 'Remove synced data' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove synced data' });
    await confirm.getByText('still activated', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Remove synced data' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await tile().getByText('Removed 0 synced device records.').waitFor();
  });

  it('gives a viewer no MDM Settings', async () => {
    const viewer = await addUser(server.database, district, 'viewer');
    const viewerPage = await browser.newPage();
    try {
      await signIn(viewerPage, viewer.email);
      await expect(viewerPage.getByRole('link', { name: 'System Settings' }).count()).resolves.toBe(0);
      await viewerPage.goto(`${server.url}/settings/mdm`);
      await viewerPage.getByText("You don't have access to System Settings").waitFor();
      await expect(viewerPage.getByRole('tab', { name: 'MDM Settings' }).count()).resolves.toBe(0);
      const answer = await viewerPage.evaluate(async () => (await fetch('/api/v1/mdm/providers')).status);
      expect(answer).toBe(403);
    } finally {
      await viewerPage.close();
    }
  });
});
