import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, PASSWORD, type Session, signIn, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let api: Session;
let page: Page;

async function addDevice(serialNumber: string, status = 'in_service'): Promise<string> {
  const response = await api.inject({
    method: 'POST',
    url: '/api/v1/devices',
    payload: { serialNumber, status },
  });
  if (response.statusCode !== 201)
    throw new Error(`${serialNumber}: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>().id;
}

/** A Google record as a sync leaves it (a fixture with exact values, written where the sync writes). */
async function addRecord(
  deviceId: string,
  matchState: 'matched' | 'not_found',
  fields: Record<string, unknown>,
): Promise<void> {
  await server.database.db
    .insertInto('mdm_device_records')
    .values({
      district_id: district.id,
      device_id: deviceId,
      provider: 'google',
      provider_device_id: `google-${deviceId.slice(0, 8)}`,
      fields: JSON.stringify(fields),
      extras: '{}',
      match_state: matchState,
      fetched_at: '2026-11-20T08:00:00.000Z',
    })
    .execute();
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Maple Valley Schools');
  api = await signIn(server.app, district.admin);
  await addRecord(await addDevice('MDM-SILENT'), 'matched', {
    mdmStatus: 'ACTIVE',
    lastCheckInAt: '2026-09-01T10:00:00.000Z',
    osVersion: '128.0.6613.133',
    autoUpdateExpiration: '2027-06-01T00:00:00.000Z',
    orgUnit: '/Students/Maple',
  });
  await addRecord(await addDevice('MDM-RECENT'), 'matched', {
    mdmStatus: 'ACTIVE',
    lastCheckInAt: '2026-11-19T10:00:00.000Z',
    osVersion: '131.0.6778.191',
    orgUnit: '/Students/Maple',
  });
  await addRecord(await addDevice('MDM-SPARE', 'spare'), 'matched', {
    lastCheckInAt: '2026-08-01T10:00:00.000Z',
    osVersion: '126.0.6478.222',
  });
  await addRecord(await addDevice('MDM-GONE'), 'not_found', {});
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function devicesTable() {
  return page.getByRole('table', { name: 'Devices' });
}

describe('device list with Google data', () => {
  it('opens filtered from a link, shows the filter, adds Google columns with their as-of time', async () => {
    await page.goto(`${server.url}/devices?notSeenSince=2026-10-28&status=in_service`);
    await page.getByLabel('Email').fill(district.admin.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/devices' && url.searchParams.has('notSeenSince'));

    // The link's filter is applied and visible.
    await page.getByText('1 device match').waitFor();
    await devicesTable().getByRole('link', { name: 'MDM-SILENT', exact: true }).waitFor();
    const since = page.getByLabel('Not checked in since (Google)');
    await expect(since.inputValue()).resolves.toBe('2026-10-28');

    // Google's columns are offered in the chooser, each naming the provider.
    await page.getByRole('button', { name: 'Columns' }).click();
    const chooser = page.getByRole('group', { name: 'Columns to show' });
    await chooser.getByLabel('Last check-in (Google)').check();
    await chooser.getByLabel('OS version (Google)').check();
    await page.keyboard.press('Escape');
    await devicesTable()
      .getByRole('columnheader', { name: /Last check-in \(Google\)/ })
      .waitFor();
    await devicesTable().getByRole('columnheader', { name: 'OS version (Google)' }).waitFor();
    const version = devicesTable().getByText('128.0.6613.133', { exact: true });
    await version.waitFor();
    // Each value names where it came from and when it was true.
    await expect(version.getAttribute('title')).resolves.toMatch(/^Google, as of /);
    await expect(version.getAttribute('title')).resolves.toContain('2026');

    // Clearing the filter shows the rest, including the device Google does not know.
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.waitForURL((url) => !url.searchParams.has('notSeenSince'));
    await page.getByText('4 devices in total').waitFor();
    const gone = devicesTable().getByRole('row').filter({ hasText: 'MDM-GONE' });
    await gone.getByText('Not in Google').first().waitFor();
    // The Google filters fold away with nothing set, and open again on demand.
    await since.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Google filters' }).click();
    await expect(since.inputValue()).resolves.toBe('');

    // The columns stay chosen, and sort on Google's data: oldest check-in first, unknowns last.
    await devicesTable()
      .getByRole('button', { name: /Last check-in \(Google\)/ })
      .click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'lastCheckInAt');
    await devicesTable()
      .locator('tbody tr')
      .first()
      .getByRole('link', { name: 'MDM-SPARE', exact: true })
      .waitFor();
    await devicesTable()
      .locator('tbody tr')
      .last()
      .getByRole('link', { name: 'MDM-GONE', exact: true })
      .waitFor();
  });
});
