import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createDistrict,
  PASSWORD,
  type Session,
  signIn,
  type TestDistrict,
} from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const DAY_MS = 24 * 3600 * 1000;
const YEAR = new Date().getUTCFullYear();

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let api: Session;
let anaId: string;

async function post<T = { id: string }>(url: string, payload: object): Promise<T> {
  const response = await api.inject({ method: 'POST', url, payload });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

/** A Google record as a sync leaves it (a fixture with exact values, written where the sync writes). */
async function addRecord(
  deviceId: string,
  fields: Record<string, unknown>,
  extras: Record<string, unknown>,
  searchText: string,
): Promise<void> {
  await server.database.db
    .insertInto('mdm_device_records')
    .values({
      district_id: district.id,
      device_id: deviceId,
      provider: 'google',
      provider_device_id: `google-${deviceId.slice(0, 8)}`,
      fields: JSON.stringify(fields),
      extras: JSON.stringify(extras),
      match_state: 'matched',
      fetched_at: '2026-11-20T08:00:00.000Z',
      search_text: searchText,
    })
    .execute();
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Maple Valley Schools');
  api = await signIn(server.app, district.admin);
  const school = await post('/api/v1/schools', { name: 'Maple High' });
  anaId = (
    await post('/api/v1/people', { kind: 'student', name: 'Ana Ruiz', email: 'ana@maple.example.org' })
  ).id;
  const expired = await post('/api/v1/devices', {
    serialNumber: 'OV-EXPIRED',
    model: 'Dell Chromebook 3110',
    assetTag: 'MV-001',
    schoolId: school.id,
  });
  await post(`/api/v1/devices/${expired.id}/checkout`, { personId: anaId });
  await addRecord(
    expired.id,
    {
      model: 'Chromebook 3110',
      primaryUser: 'bo@maple.example.org',
      recentUsers: ['bo@maple.example.org'],
      autoUpdateExpiration: `${YEAR - 1}-06-01`,
      lastCheckInAt: new Date().toISOString(),
    },
    { annotatedAssetId: 'MV-001', annotatedUser: 'bo@maple.example.org' },
    'bo@maple.example.org\nmv-001',
  );
  const cart = await post('/api/v1/devices', { serialNumber: 'OV-CART', model: 'Lenovo 300e' });
  await addRecord(
    cart.id,
    {
      model: 'HP Chromebook 14',
      primaryUser: 'carla.mdm@maple.example.org',
      recentUsers: ['carla.mdm@maple.example.org'],
      autoUpdateExpiration: `${YEAR + 5}-06-01`,
      lastCheckInAt: new Date(Date.now() - 60 * DAY_MS).toISOString(),
    },
    { annotatedAssetId: 'CART-7' },
    'carla.mdm@maple.example.org\ncart-7',
  );
  await post('/api/v1/devices', { serialNumber: 'OV-PLAIN' });
  // Google was connected and then deactivated: its data stays, kept from the last sync.
  await server.database.db
    .insertInto('mdm_connections')
    .values({
      district_id: district.id,
      provider: 'google',
      state: 'inactive',
      settings: '{}',
      last_sync: JSON.stringify({
        state: 'succeeded',
        at: '2026-11-20T08:00:00.000Z',
        counters: {},
        error: null,
      }),
    })
    .execute();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signInAs(email: string, path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Devices' }).first().waitFor();
  return page;
}

function devicesTable(page: Page) {
  return page.getByRole('table', { name: 'Devices' });
}

describe('overview', () => {
  it('is the home page: each figure opens the device list behind it', async () => {
    const page = await signInAs(district.admin.email, '/');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Devices: 3' }).waitFor();
    await page
      .getByRole('table', { name: 'Devices by school' })
      .getByRole('link', { name: 'Maple High: 1' })
      .waitFor();
    await page.getByRole('table', { name: 'MDM coverage' }).getByText('inactive', { exact: false }).waitFor();
    const health = page.getByRole('table', { name: 'Sync health' });
    await health.getByText('Inactive', { exact: true }).waitFor();
    await health.getByRole('link', { name: 'Google Admin (ChromeOS)' }).waitFor();

    await page.getByRole('link', { name: 'Auto-update expired: 1' }).click();
    await page.waitForURL((url) => url.pathname === '/devices' && url.searchParams.has('aueBefore'));
    await devicesTable(page).getByRole('link', { name: 'OV-EXPIRED', exact: true }).waitFor();
    await page.getByText('1 device match').waitFor();

    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Not seen in 30 days: 1' }).click();
    await page.waitForURL((url) => url.searchParams.has('notSeenSince'));
    await devicesTable(page).getByRole('link', { name: 'OV-CART', exact: true }).waitFor();
    await page.close();
  });

  it('shows a viewer sync health read-only, without a way into MDM Settings', async () => {
    const viewer = await addUser(server.database, district, 'viewer');
    const page = await signInAs(viewer.email, '/');
    const health = page.getByRole('table', { name: 'Sync health' });
    await health.getByText('Google Admin (ChromeOS)').waitFor();
    await expect(health.getByRole('link').count()).resolves.toBe(0);
    await page.getByText('Read-only').waitFor();
    await page.close();
  });
});

describe('data kept from a deactivated provider', () => {
  it('is marked in the device list, its filters, the export and Reports; an expired date reads Expired', async () => {
    const page = await signInAs(district.admin.email, '/devices');
    await page.getByRole('button', { name: 'Columns' }).click();
    const chooser = page.getByRole('group', { name: 'Columns to show' });
    await chooser.getByLabel('Auto-update expiration (Google)').check();
    await page.keyboard.press('Escape');
    const row = devicesTable(page).getByRole('row').filter({ hasText: 'OV-EXPIRED' });
    await row.getByText('Expired', { exact: true }).waitFor();
    const mark = row.locator('[data-kept="inactive"]').first();
    await mark.waitFor();
    await expect(mark.getAttribute('title')).resolves.toMatch(
      /Data kept from Google \(provider inactive\), as of /,
    );

    await page.getByRole('button', { name: 'Google filters' }).click();
    await page.getByTestId('kept-data-note').waitFor();

    const csv = await page.request.get(`${server.url}/api/v1/devices/export.csv`);
    const text = await csv.text();
    expect(text).toContain('Google: data');
    expect(text).toContain('kept: provider inactive');
    expect(text).toContain('expired');

    await page.goto(`${server.url}/reports`);
    await page.getByTestId('kept-report').waitFor();
    await page.getByRole('link', { name: 'Already expired: 1' }).waitFor();
    await page.close();
  });
});

describe('search and conflicts', () => {
  it('finds devices by their MDM user and asset ID', async () => {
    const page = await signInAs(district.admin.email, '/devices');
    const search = page.getByLabel('Search');
    await search.fill('carla.mdm');
    await page.waitForURL((url) => url.searchParams.get('q') === 'carla.mdm');
    await page.getByText('1 device match').waitFor();
    await devicesTable(page).getByRole('link', { name: 'OV-CART', exact: true }).waitFor();
    await search.fill('cart-7');
    await page.waitForURL((url) => url.searchParams.get('q') === 'cart-7');
    await devicesTable(page).getByRole('link', { name: 'OV-CART', exact: true }).waitFor();
    await page.getByText('1 device match').waitFor();
    await page.close();
  });

  it('flags conflicts on the device page, in the list filter and on the person page', async () => {
    const page = await signInAs(district.admin.email, '/devices?mdmConflict=model');
    await page.getByText('1 device match').waitFor();
    await devicesTable(page).getByRole('link', { name: 'OV-CART', exact: true }).waitFor();
    await page.getByLabel('Disagrees with inventory').first().waitFor();

    await devicesTable(page).getByRole('link', { name: 'OV-CART', exact: true }).click();
    const conflicts = page.getByRole('note').filter({ hasText: 'Disagrees with the inventory' });
    await conflicts.getByText('Model: Satchel has “Lenovo 300e”, Google has “HP Chromebook 14”').waitFor();

    await page.goto(`${server.url}/people/${anaId}`);
    const mdm = page.getByRole('table', { name: 'MDM data of checked-out devices' });
    await mdm.getByText('Used by someone else').waitFor();
    await mdm.getByText('bo@maple.example.org').waitFor();
    await page.close();
  });
});
