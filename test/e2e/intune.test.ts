import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIntune, generateFleet, startFakeIntune } from '../../fakes/intune/index.ts';
import { serialKey } from '../../src/common/inventory.ts';
import { DEFAULT_SYNCED_STATUSES } from '../../src/common/mdm.ts';
import { systemContext } from '../../src/server/context.ts';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../src/server/inventory/index.ts';
import { DEVICE_READ_PERMISSION } from '../../src/server/mdm/providers/intune/settings.ts';
import { silentLog } from '../setup/app.ts';
import { createDistrict, type TestDistrict } from '../setup/factories.ts';
import { HOSTED_APP } from '../setup/intune.ts';
import { launchBrowser, providerTile, signInInBrowser } from './browser.ts';
import { freePort, type RunningTestServer, startTestServer, testServerUrl } from './server.ts';

const DOMAIN = 'cedar.k12.example.org';
const PROVIDER = 'Microsoft Intune';
/** The district's own app registration, for the credentials form. */
const OWN_APP = { clientId: '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a', secret: 'Cedar8Q~own-app-secret-value' };

let fake: FakeIntune;
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let page: Page;
/** An in-service device Intune knows, and its Intune record. */
let subject: { id: string; intuneId: string; osVersion: string | null; complianceState: string };

beforeAll(async () => {
  // The consent redirect URI has to be registered with the fake before Satchel starts, so fix the port first.
  const port = await freePort();
  fake = await startFakeIntune({
    withoutDefaults: true,
    tenants: [HOSTED_APP.tenant, { domains: [DOMAIN, 'cedark12.onmicrosoft.com'] }],
    apps: [
      {
        tenant: HOSTED_APP.tenant.id,
        clientId: HOSTED_APP.clientId,
        secret: HOSTED_APP.secret,
        permissions: [DEVICE_READ_PERMISSION],
        multiTenant: true,
        redirectUris: [`${testServerUrl(port)}/api/v1/mdm/providers/intune/oauth/callback`],
      },
      { tenant: DOMAIN, ...OWN_APP, permissions: [DEVICE_READ_PERMISSION], multiTenant: false },
    ],
  });
  server = await startTestServer({
    port,
    jobs: true,
    environment: {
      MICROSOFT_LOGIN_URL: fake.loginUrl,
      MICROSOFT_GRAPH_URL: fake.graphUrl,
      MICROSOFT_CLIENT_ID: HOSTED_APP.clientId,
      MICROSOFT_CLIENT_SECRET: HOSTED_APP.secret,
    },
  });
  district = await createDistrict(server.database, 'Cedar Unified');
  const db = server.database.db;
  await generateDemoData(db, district.id, { devices: 60, people: 40, seed: 43 });
  const tracked = await listTrackableDevices(
    systemContext(district.id, silentLog),
    db,
    DEFAULT_SYNCED_STATUSES,
  );
  const known = tracked.map((device) => device.serialKey);
  fake.setFleet(DOMAIN, generateFleet({ size: known.length + 10, serials: known, domain: DOMAIN, seed: 43 }));
  const inService = await db
    .selectFrom('devices')
    .select(['id', 'serial_key'])
    .where('district_id', '=', district.id)
    .where('status', '=', 'in_service')
    .orderBy('serial_key')
    .executeTakeFirstOrThrow();
  const record = fake
    .devices(DOMAIN)
    .find((device) => serialKey(device.serialNumber ?? '') === inService.serial_key);
  if (!record) throw new Error('Intune does not know the in-service device');
  subject = {
    id: inService.id,
    intuneId: record.id,
    osVersion: record.osVersion,
    complianceState: record.complianceState,
  };

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Sign-in is rate limited per address: the administrator signs in once for the whole file.
  await signInInBrowser(page, server.url, district.admin.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

const tile = () => providerTile(page, PROVIDER).tile;
const status = (text: string) => providerTile(page, PROVIDER).status(text);

describe('Microsoft Intune in the browser', () => {
  it('activates Intune for the district’s tenant and authorizes it through admin consent', async () => {
    await page.goto(`${server.url}/settings/mdm`);
    await status('Inactive').waitFor();
    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    // The server's validation message shows next to its field.
    await dialog.getByLabel('Microsoft Entra tenant').fill('cedar');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog
      .getByText('Use the directory (tenant) ID, a GUID, or a verified domain', { exact: false })
      .waitFor();
    await dialog.getByLabel('Microsoft Entra tenant').fill(DOMAIN);
    await expect(
      dialog.getByRole('radio', { name: 'Admin consent to Satchel’s Microsoft app' }).isChecked(),
    ).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await status('Needs authorization').waitFor();
    await tile().getByText(DOMAIN, { exact: true }).waitFor();

    await tile().getByRole('button', { name: 'Authorize with Microsoft' }).click();
    await page.waitForURL((url) => url.origin === fake.url);
    await page.getByText(DEVICE_READ_PERMISSION).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/settings/mdm');
    await page.getByText('Authorization complete').waitFor();
    await status('Active').waitFor();
    await tile()
      .getByText(`Authorized by Satchel’s Microsoft app in ${DOMAIN} on`, { exact: false })
      .waitFor();
    // Authorizing queued the first sync; the tile follows it to the end.
    await tile()
      .getByText(/\d+ matched, 0 not found in Intune/)
      .waitFor({ timeout: 30_000 });
  });

  it('shows Intune’s data on the device screen, with a link to the device in the Intune admin center', async () => {
    await page.goto(`${server.url}/devices/${subject.id}`);
    const panel = page.getByRole('region', { name: PROVIDER });
    await panel.getByText(/^as of .+\(.+\)$/).waitFor();
    const compliance = subject.complianceState.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    await panel
      .getByText(compliance.charAt(0).toUpperCase() + compliance.slice(1), { exact: true })
      .waitFor();
    if (subject.osVersion)
      await expect(panel.getByText(subject.osVersion, { exact: false }).first().isVisible()).resolves.toBe(
        true,
      );
    const link = panel.getByRole('link', { name: 'Open in the Intune admin center' });
    await expect(link.getAttribute('href')).resolves.toBe(
      `https://intune.microsoft.com/${DOMAIN}/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/${subject.intuneId}`,
    );
  });

  it('switches to an app registration of the district’s own and tests its client secret', async () => {
    await page.goto(`${server.url}/settings/mdm`);
    await tile().getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: `${PROVIDER} settings` });
    await dialog
      .getByRole('radio', { name: 'An app registration of your own (client secret or certificate)' })
      .check();
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const form = tile().getByRole('form', { name: `App registration for ${PROVIDER}` });
    await form.getByLabel('Application (client) ID').fill(OWN_APP.clientId);
    await form.getByLabel('Client secret', { exact: true }).fill('the secret ID, not its value');
    await form.getByRole('button', { name: 'Test and save' }).click();
    await form.getByText('paste the secret’s Value, not its Secret ID', { exact: false }).waitFor();
    await status('Needs authorization').waitFor();

    await form.getByLabel('Client secret', { exact: true }).fill(OWN_APP.secret);
    await form.getByRole('button', { name: 'Test and save' }).click();
    await status('Active').waitFor();
    await tile()
      .getByText(`Authorized by App ${OWN_APP.clientId} in ${DOMAIN} on`, { exact: false })
      .waitFor();
  });
});
