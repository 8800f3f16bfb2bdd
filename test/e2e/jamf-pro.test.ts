import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT,
  type FakeJamfPro,
  generateFleet,
  startFakeJamfPro,
} from '../../fakes/jamf-pro/index.ts';
import { DEFAULT_SYNCED_STATUSES } from '../../src/common/mdm.ts';
import { systemContext } from '../../src/server/context.ts';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../src/server/inventory/index.ts';
import { silentLog } from '../setup/app.ts';
import { createDistrict, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const PROVIDER = 'Jamf Pro (Macs and iPads)';
/** Jamf Pro knows all but this many of the devices Satchel syncs. */
const UNKNOWN_TO_JAMF = 10;

let fake: FakeJamfPro;
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let page: Page;
let tracked: { id: string; serialKey: string }[];
/** A tracked device Jamf Pro knows, and which of its records it is. */
let subject: { id: string; kind: 'computer' | 'mobileDevice'; jamfId: string; osVersion: string };

beforeAll(async () => {
  fake = await startFakeJamfPro();
  // The fake listens on loopback, which district-entered URLs may only point at when the installation allows it.
  server = await startTestServer({
    jobs: true,
    environment: { SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' },
  });
  district = await createDistrict(server.database, 'Cedar Hills Schools');
  const db = server.database.db;
  await generateDemoData(db, district.id, { devices: 120, people: 80, seed: 52 });
  tracked = await listTrackableDevices(systemContext(district.id, silentLog), db, DEFAULT_SYNCED_STATUSES);
  const known = tracked.slice(UNKNOWN_TO_JAMF).map((device) => device.serialKey);
  const fleet = generateFleet({ size: known.length + 20, serials: known, junk: 3, seed: 52 });
  fake.setComputers('default', fleet.computers);
  fake.setMobileDevices('default', fleet.mobileDevices);
  const device = tracked[UNKNOWN_TO_JAMF] as { id: string; serialKey: string };
  const ref = fleet.manifest.bySerial[device.serialKey]!;
  const osVersion =
    ref.kind === 'computer'
      ? fleet.computers.find((computer) => computer.id === ref.id)?.operatingSystem?.version
      : fleet.mobileDevices.find((ipad) => ipad.mobileDeviceId === ref.id)?.general?.osVersion;
  subject = { id: device.id, kind: ref.kind, jamfId: ref.id, osVersion: osVersion ?? '' };

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

function tile(): Locator {
  return page.getByRole('region', { name: PROVIDER });
}

function status(text: string): Locator {
  return tile().getByText(text, { exact: true });
}

describe('Jamf Pro in the browser', () => {
  it('activates with the Jamf Pro URL, tests the API client, and syncs', async () => {
    await page.getByRole('link', { name: 'System Settings' }).click();
    await page.getByRole('tab', { name: 'MDM Settings' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/mdm');
    await status('Inactive').waitFor();

    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    await dialog.getByText('This installation also allows http and addresses on private networks.').waitFor();
    await dialog.getByLabel('Jamf Pro URL').fill('district.jamfcloud.com');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.getByText('Enter the whole URL, such as https://district.jamfcloud.com').waitFor();
    await dialog.getByLabel('Jamf Pro URL').fill(`${fake.url}/`);
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await status('Needs authorization').waitFor();
    await tile().getByText(fake.url, { exact: true }).waitFor();

    const form = tile().getByRole('form', { name: `API client for ${PROVIDER}` });
    await form.getByLabel('Client ID').fill(DEFAULT_CLIENT.clientId);
    await form.getByLabel('Client secret').fill('not the secret');
    await form.getByRole('button', { name: 'Test and save' }).click();
    await form.getByText('did not accept this client ID and client secret', { exact: false }).waitFor();
    await status('Needs authorization').waitFor();

    await form.getByLabel('Client secret').fill(DEFAULT_CLIENT.clientSecret);
    await form.getByRole('button', { name: 'Test and save' }).click();
    await page
      .getByText(`The credentials work: ${PROVIDER} is active as API client ${DEFAULT_CLIENT.clientId} at`)
      .waitFor();
    await status('Active').waitFor();
    // Entering the client queues the first sync; the tile follows it to the end.
    const matched = tracked.length - UNKNOWN_TO_JAMF;
    await tile()
      .getByText(`${matched} matched, ${UNKNOWN_TO_JAMF} not found in Jamf Pro, ${matched} changed`, {
        exact: false,
      })
      .waitFor({ timeout: 30_000 });
  });

  it("shows Jamf Pro's data on the device screen, with a link to the device in Jamf Pro", async () => {
    await page.goto(`${server.url}/devices/${subject.id}`);
    const panel = page.getByRole('region', { name: PROVIDER });
    await panel.getByText(/^as of .+\(.+\)$/).waitFor();
    const os = subject.kind === 'computer' ? 'macOS' : 'iPadOS';
    await panel.getByText(`${os} ${subject.osVersion}`, { exact: true }).waitFor();
    const link = panel.getByRole('link', { name: 'Open in Jamf Pro' });
    const pageName = subject.kind === 'computer' ? 'computers.html' : 'mobileDevices.html';
    await expect(link.getAttribute('href')).resolves.toBe(`${fake.url}/${pageName}?id=${subject.jamfId}&o=r`);
    await expect(link.getAttribute('target')).resolves.toBe('_blank');

    await page.goto(`${server.url}/devices/${tracked[0]!.id}`);
    const missing = page.getByRole('region', { name: PROVIDER });
    await missing.getByText('Not found in Jamf Pro', { exact: true }).waitFor();
  });
});
