import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT,
  type FakeChromeDevice,
  type FakeGoogle,
  generateFleet,
  startFakeGoogle,
} from '../../fakes/google/index.ts';
import { serialKey } from '../../src/common/inventory.ts';
import { DEFAULT_SYNCED_STATUSES } from '../../src/common/mdm.ts';
import { systemContext } from '../../src/server/context.ts';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../src/server/inventory/index.ts';
import { silentLog } from '../setup/app.ts';
import { createDistrict, PASSWORD, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { freePort, type RunningTestServer, startTestServer, testServerUrl } from './server.ts';

const DOMAIN = 'maplewood.k12.example.org';
const ADMIN_EMAIL = `admin@${DOMAIN}`;
const PROVIDER = 'Google Admin (ChromeOS)';
/** Google knows all but this many of the devices Satchel syncs. */
const UNKNOWN_TO_GOOGLE = 30;

let fake: FakeGoogle;
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let page: Page;
let tracked: { id: string; serialKey: string }[];
/** A device in service and checked out, that Google knows, with its Google record. */
let subject: { id: string; google: FakeChromeDevice };
/** In service in Satchel, deprovisioned in Google. */
let deprovisioned: { id: string };

beforeAll(async () => {
  // The OAuth redirect URI has to be registered with the fake before Satchel starts, so fix the port first.
  const port = await freePort();
  fake = await startFakeGoogle({
    clients: [
      {
        ...DEFAULT_CLIENT,
        redirectUris: [`${testServerUrl(port)}/api/v1/mdm/providers/google/oauth/callback`],
      },
    ],
  });
  server = await startTestServer({
    port,
    jobs: true,
    environment: {
      GOOGLE_CLIENT_ID: DEFAULT_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret ?? '',
      GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_OAUTH_REVOKE_URL: fake.revokeUrl,
      GOOGLE_API_ROOT_URL: fake.apiRootUrl,
    },
  });
  district = await createDistrict(server.database, 'Maplewood Unified');
  const db = server.database.db;
  await generateDemoData(db, district.id, { devices: 300, people: 200, seed: 41 });
  tracked = await listTrackableDevices(systemContext(district.id, silentLog), db, DEFAULT_SYNCED_STATUSES);
  const known = tracked.slice(UNKNOWN_TO_GOOGLE).map((device) => device.serialKey);
  fake.addCustomer({ domain: DOMAIN });
  fake.setFleet(
    DOMAIN,
    generateFleet({ size: known.length + 40, serials: known, junk: 5, domain: DOMAIN, seed: 41 }),
  );

  const inService = await db
    .selectFrom('devices')
    .select(['id', 'serial_key', 'assigned_person_id'])
    .where('district_id', '=', district.id)
    .where('status', '=', 'in_service')
    .where('serial_key', 'in', known)
    .orderBy('serial_key')
    .execute();
  const googleBySerial = new Map(
    fake.devices(DOMAIN).map((device) => [serialKey(device.serialNumber ?? ''), device]),
  );
  const checkedOut = inService.find((device) => device.assigned_person_id !== null);
  const other = inService.find((device) => device !== checkedOut);
  if (!checkedOut || !other) throw new Error('the demo data has no checked-out device Google knows');
  subject = { id: checkedOut.id, google: googleBySerial.get(checkedOut.serial_key)! };
  const otherGoogle = googleBySerial.get(other.serial_key)!;
  fake.updateDevice(DOMAIN, otherGoogle.deviceId!, { status: 'DEPROVISIONED' });
  deprovisioned = { id: other.id };

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Sign-in is rate limited per address: the administrator signs in once for the whole file.
  await page.goto(`${server.url}/devices`);
  await page.getByLabel('Email').fill(district.admin.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Devices' }).waitFor();
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

function progressBar(): Locator {
  return tile().getByRole('progressbar', { name: `Sync progress of ${PROVIDER}` });
}

/** Screenshots for people reviewing the UI: only when SCREENSHOT_DIR is set. */
async function screenshot(name: string): Promise<void> {
  const directory = process.env.SCREENSHOT_DIR;
  if (!directory) return;
  // Let modals and notifications finish moving in.
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${directory}/${name}.png`, fullPage: true });
}

async function runsBy(trigger: 'authorization' | 'manual' | 'schedule'): Promise<number> {
  const runs = await server.database.db
    .selectFrom('sync_runs')
    .select('id')
    .where('district_id', '=', district.id)
    .where('trigger', '=', trigger)
    .execute();
  return runs.length;
}

const notFound = () => UNKNOWN_TO_GOOGLE;
const matched = () => tracked.length - UNKNOWN_TO_GOOGLE;

describe('MDM sync in the browser', () => {
  it('syncs after authorizing, then on Sync now with progress, and reports the result on the tile', async () => {
    await page.getByRole('link', { name: 'System Settings' }).click();
    await page.getByRole('tab', { name: 'MDM Settings' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/mdm');
    await status('Inactive').waitFor();
    await expect(tile().getByRole('button', { name: 'Sync now' }).count()).resolves.toBe(0);

    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tile().getByRole('button', { name: 'Authorize with Google' }).click();
    await page.waitForURL((url) => url.origin === fake.url);
    await page.getByLabel('Google account').fill(ADMIN_EMAIL);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.origin === server.url && url.pathname === '/settings/mdm');
    await page.getByText('Authorization complete').waitFor();

    // Authorizing queues a first sync when the server has a job queue; the tile follows it to the end.
    const authorizationRuns = await runsBy('authorization');
    if (authorizationRuns > 0) {
      await tile()
        .getByText(`${matched()} matched, ${notFound()} not found in Google, ${matched()} changed`, {
          exact: false,
        })
        .waitFor({ timeout: 30_000 });
    }
    await status('Active').waitFor();

    // Slow Google down so the run stays on screen for a few polls.
    fake.latencyMs = 2000;
    try {
      await tile().getByRole('button', { name: 'Sync now' }).click();
      await progressBar().waitFor();
      await status('Syncing').waitFor();
      await expect(tile().getByRole('button', { name: 'Syncing…' }).isDisabled()).resolves.toBe(true);
      await tile()
        .getByText(/^Syncing… .*1 API call/)
        .waitFor({ timeout: 30_000 });
      await expect(progressBar().getAttribute('aria-valuetext')).resolves.toMatch(/^Syncing… /);
      await screenshot('mdm-tile-syncing');
      await progressBar().waitFor({ state: 'hidden', timeout: 30_000 });
    } finally {
      fake.latencyMs = 0;
    }
    await status('Active').waitFor();
    // The second sync finds nothing changed at Google.
    const changed = authorizationRuns > 0 ? 0 : matched();
    await tile()
      .getByText(
        `${matched()} matched, ${notFound()} not found in Google, ${changed} changed · 1 API call (estimate 1)`,
        { exact: false },
      )
      .waitFor();
    await page.getByText(`${PROVIDER} synced`).last().waitFor();
    await expect(tile().getByRole('button', { name: 'Sync now' }).isEnabled()).resolves.toBe(true);
    await screenshot('mdm-tile-synced');
  });

  it('lists the runs in the sync history, newest first, with what each found and cost', async () => {
    const authorizationRuns = await runsBy('authorization');
    await tile().getByRole('button', { name: 'Sync history' }).click();
    const dialog = page.getByRole('dialog', { name: `Sync history — ${PROVIDER}` });
    const runs = dialog.getByRole('list', { name: `Sync runs of ${PROVIDER}` }).getByRole('listitem');
    await runs.first().waitFor();
    // Sync now, then (when the server queued one) the run authorizing started.
    const expected = authorizationRuns > 0 ? ['Sync now', 'First sync after authorizing'] : ['Sync now'];
    await expect(runs.count()).resolves.toBe(expected.length);
    for (const [index, began] of expected.entries()) {
      const run = runs.nth(index);
      const detail = (label: string) => run.locator(`dt:text-is("${label}") + dd`).textContent();
      await expect(run.getByText(`${began} · `, { exact: false }).count()).resolves.toBe(1);
      await expect(run.getByText('Succeeded', { exact: true }).count()).resolves.toBe(1);
      const changed = index === expected.length - 1 ? matched() : 0;
      await run
        .getByText(`Checked ${tracked.length} devices: ${matched()} found in Google`, { exact: false })
        .waitFor();
      await run.getByRole('button', { name: 'Details' }).click();
      // New connections ask only about devices in Satchel: batched lookups of the tracked serials.
      await expect(detail('Strategy')).resolves.toBe('Lookups (batched)');
      await expect(detail('Requests allowed')).resolves.toBe('Only devices in Satchel');
      await expect(detail('Complete pass')).resolves.toBe('Yes');
      await expect(detail('Duration')).resolves.toMatch(/^(under 1 s|\d+ s)$/);
      await expect(detail('Considered')).resolves.toBe(String(tracked.length));
      await expect(detail('Matched')).resolves.toBe(String(matched()));
      await expect(detail('Changed')).resolves.toBe(String(changed));
      await expect(detail('Unchanged')).resolves.toBe(String(matched() - changed));
      await expect(detail('Not found in Google')).resolves.toBe(String(notFound()));
      await expect(detail('API calls / estimate')).resolves.toBe('1 / 1');
    }
    await screenshot('mdm-sync-history');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it("shows Google's data on the device screen, as of the sync, with warnings worked out from it", async () => {
    await page.goto(`${server.url}/devices/${subject.id}`);
    const panel = page.getByRole('region', { name: PROVIDER });
    await panel.getByText(/^as of .+\(.+\)$/).waitFor();
    const os = panel.getByText(`ChromeOS ${subject.google.osVersion}`, { exact: true });
    await expect(os.isVisible()).resolves.toBe(true);
    await expect(panel.getByText(subject.google.orgUnitPath!, { exact: true }).isVisible()).resolves.toBe(
      true,
    );
    const link = panel.getByRole('link', { name: 'Open in Google Admin' });
    await expect(link.getAttribute('href')).resolves.toBe(
      `https://admin.google.com/ac/chrome/devices/${subject.google.deviceId}`,
    );
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(link.getAttribute('rel')).resolves.toContain('noopener');
    // The demo's students have other addresses than the fake Google's users.
    const warnings = panel.getByRole('list', { name: `Warnings from ${PROVIDER}` });
    await warnings.getByText('Used by someone else?').waitFor();
    await screenshot('device-google-panel');

    await page.goto(`${server.url}/devices/${deprovisioned.id}`);
    await page
      .getByRole('region', { name: PROVIDER })
      .getByText('Google reports this device as DEPROVISIONED, but Satchel has it in service.')
      .waitFor();

    await page.goto(`${server.url}/devices/${tracked[0]!.id}`);
    const missing = page.getByRole('region', { name: PROVIDER });
    await missing.getByText('Not found in Google', { exact: true }).waitFor();
    await expect(missing.getByRole('link', { name: 'Open in Google Admin' }).count()).resolves.toBe(0);
    await screenshot('device-not-found');
  });

  it('labels the data of a deactivated provider as such, and still shows it', async () => {
    await page.goto(`${server.url}/settings/mdm`);
    await tile().getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('dialog', { name: `Deactivate ${PROVIDER}` });
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await status('Inactive').waitFor();
    await expect(tile().getByRole('button', { name: 'Sync now' }).count()).resolves.toBe(0);

    await page.goto(`${server.url}/devices/${subject.id}`);
    const panel = page.getByRole('region', { name: PROVIDER });
    await panel.getByText('Provider inactive', { exact: true }).waitFor();
    await expect(
      panel.getByText(`ChromeOS ${subject.google.osVersion}`, { exact: true }).isVisible(),
    ).resolves.toBe(true);
  });
});
