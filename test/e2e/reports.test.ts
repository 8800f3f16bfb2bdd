import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, PASSWORD, type Session, signIn, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const YEAR = new Date().getUTCFullYear();
/** Serial → auto-update expiration: two devices expire two years from now, one later. */
const FLEET: Record<string, string> = {
  'RPT-0001': `${YEAR + 2}-06-01`,
  'RPT-0002': `${YEAR + 2}-11-30T00:00:00.000Z`,
  'RPT-0003': `${YEAR + 4}-06-01`,
};

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let api: Session;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Brookfield Schools');
  api = await signIn(server.app, district.admin);
  const school = await api.inject({
    method: 'POST',
    url: '/api/v1/schools',
    payload: { name: 'Lincoln High' },
  });
  const student = await api.inject({
    method: 'POST',
    url: '/api/v1/people',
    payload: { kind: 'student', name: 'Nina Ninth', email: 'nina@example.org', grade: '9' },
  });
  for (const [serialNumber, aue] of Object.entries(FLEET)) {
    const response = await api.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber, schoolId: school.json<{ id: string }>().id },
    });
    expect(response.statusCode).toBe(201);
    // The provider's data is a fixture: records as a sync would have written them.
    await server.database.db
      .insertInto('mdm_device_records')
      .values({
        district_id: district.id,
        device_id: response.json<{ id: string }>().id,
        provider: 'google',
        provider_device_id: `g-${serialNumber}`,
        fields: JSON.stringify({ autoUpdateExpiration: aue, lastCheckInAt: new Date().toISOString() }),
        extras: JSON.stringify({}),
        match_state: 'matched',
        fetched_at: new Date(),
      })
      .execute();
  }
  // Nina graduates years after her device stops receiving updates.
  const ninas = await api.inject({ method: 'GET', url: '/api/v1/devices?q=RPT-0001' });
  await api.inject({
    method: 'POST',
    url: `/api/v1/devices/${ninas.json<{ devices: { id: string }[] }>().devices[0]?.id}/checkout`,
    payload: { personId: student.json<{ id: string }>().id },
  });
  // A device Google does not know, so the list behind the bar is visibly narrower than the inventory.
  await api.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber: 'RPT-0004' } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signInAs(email: string, path: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Reports' }).waitFor();
  return page;
}

describe('reports page', () => {
  it('opens Reports from the navigation, and a bar of the expiration chart opens its devices', async () => {
    const page = await signInAs(district.admin.email, '/devices');
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Reports' })
      .click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    const chart = page.getByRole('list', { name: 'Devices by auto-update expiration year' });
    await chart.waitFor();
    await expect(chart.getByRole('link').count()).resolves.toBe(3);
    await chart.getByRole('link', { name: `0 devices stop receiving updates in ${YEAR + 3}` }).waitFor();

    await chart.getByRole('link', { name: `2 devices stop receiving updates in ${YEAR + 2}` }).click();
    await page.waitForURL((url) => url.pathname === '/devices');
    const url = new URL(page.url());
    expect(url.searchParams.get('aueAfter')).toBe(`${YEAR + 2}-01-01`);
    expect(url.searchParams.get('aueBefore')).toBe(`${YEAR + 3}-01-01`);
    const table = page.getByRole('table', { name: 'Devices' });
    await table.getByRole('link', { name: 'RPT-0001', exact: true }).waitFor();
    await table.getByRole('link', { name: 'RPT-0002', exact: true }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    await page.getByText('2 devices match').waitFor();
    await page.close();
  });

  it('shows a district without MDM data an empty state that leads an administrator to MDM Settings', async () => {
    const empty = await createDistrict(server.database, 'Quiet Hollow');
    const page = await signInAs(empty.admin.email, '/reports');
    await page.getByText('No MDM data yet').waitFor();
    await page.getByRole('link', { name: 'Open MDM Settings' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/mdm');
    await page.close();
  });
});
