import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { createDistrict, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let context: BrowserContext;
let page: Page;

const MDM_HEADERS = [
  'Last check-in (Google)',
  'OS version (Google)',
  'Auto-update expiration (Google)',
  'User (Google)',
];

/** Google's data arrives for every device, with values as long as real ones get. */
async function googleDataArrives(): Promise<void> {
  const db = server.database.db;
  const devices = await db
    .selectFrom('devices')
    .select('id')
    .where('district_id', '=', district.id)
    .execute();
  await db
    .insertInto('mdm_device_records')
    .values(
      devices.map((device, index) => ({
        district_id: district.id,
        device_id: device.id,
        provider: 'google',
        provider_device_id: `google-${index}`,
        fields: JSON.stringify({
          mdmStatus: index % 7 === 0 ? 'DEPROVISIONED' : 'ACTIVE',
          lastCheckInAt: '2026-11-19T10:00:00.000Z',
          osVersion: '131.0.6778.191',
          autoUpdateExpiration: '2029-06-01T00:00:00.000Z',
          orgUnit: '/Students/Cedar Ridge High/Class of 2029/Chromebooks',
          primaryUser: `student.with.a.long.name.${index}@students.cedarfalls.example.org`,
        }),
        extras: '{}',
        match_state: 'matched',
        fetched_at: new Date(),
      })),
    )
    .execute();
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Cedar Falls Schools');
  await generateDemoData(server.database.db, district.id, { devices: 30, people: 40, seed: 11 });
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  await signInInBrowser(page, server.url, district.admin.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const table = () => page.getByRole('table', { name: 'Devices' });
/** Column headers as read, without the sort arrows. */
const headers = async () =>
  (await table().getByRole('columnheader').allTextContents()).map((text) => text.replace(/[▲▼↕]/g, ''));

async function rowHeights(): Promise<number[]> {
  return table()
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
}

describe('device list at 1366 px', () => {
  it('adds Google’s most useful columns once its data arrives, keeping a column someone hid', async () => {
    await page.goto(`${server.url}/devices`);
    await table().waitFor();
    expect(await headers()).toContain('Asset tag');
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Asset tag' }).uncheck();
    await page.keyboard.press('Escape');

    await googleDataArrives();
    await page.reload();
    await table().getByRole('columnheader', { name: 'User (Google)' }).waitFor();
    const shown = await headers();
    for (const header of MDM_HEADERS)
      expect(shown.map((text) => text.replace(/[▲▼↕]/g, ''))).toContain(header);
    expect(shown).not.toContain('Asset tag');
    expect(shown.join()).not.toContain('Org unit');
  });

  it('keeps every row to one line, badges whole, and scrolls sideways with the serial number pinned', async () => {
    await page.goto(`${server.url}/devices`);
    await table().getByRole('columnheader', { name: 'User (Google)' }).waitFor();
    const heights = await rowHeights();
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(2);
    expect(Math.max(...heights)).toBeLessThan(48);
    const clipped = await table()
      .locator('.mantine-Badge-label')
      .evaluateAll((labels) =>
        labels.filter((label) => label.scrollWidth > label.clientWidth + 1).map((label) => label.textContent),
      );
    expect(clipped).toEqual([]);

    const region = page.getByRole('region', { name: 'Devices, scrolls sideways' });
    const widths = await region.evaluate((element) => ({
      scroll: element.scrollWidth,
      client: element.clientWidth,
    }));
    expect(widths.scroll).toBeGreaterThan(widths.client);
    const serial = table().locator('tbody tr').first().getByRole('link').first();
    const before = await serial.boundingBox();
    await region.evaluate((element) => {
      element.scrollLeft = element.scrollWidth;
    });
    const after = await serial.boundingBox();
    expect(after?.x).toBeCloseTo(before?.x ?? -1, 0);
    await expect(serial.isVisible()).resolves.toBe(true);
  });

  it('fits more rows in compact density, and remembers it', async () => {
    await page.goto(`${server.url}/devices`);
    await table().getByRole('columnheader', { name: 'User (Google)' }).waitFor();
    const comfortable = Math.max(...(await rowHeights()));
    await page.locator('label', { hasText: 'Compact' }).click();
    await expect.poll(async () => Math.max(...(await rowHeights()))).toBeLessThan(comfortable - 6);
    await page.reload();
    await table().waitFor();
    await expect.poll(async () => Math.max(...(await rowHeights()))).toBeLessThan(comfortable - 6);
    await page.locator('label', { hasText: 'Comfortable' }).click();
  });

  it('saves the filters and columns as a named view and opens it again later', async () => {
    await page.goto(`${server.url}/devices?status=spare&sort=model&order=desc`);
    await table().waitFor();
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'OS version (Google)' }).uncheck();
    await page.getByRole('checkbox', { name: 'Org unit (Google)' }).check();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('menuitem', { name: 'Save this view…' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Spares by model');
    await page.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.goto(`${server.url}/devices`);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('button', { name: 'Reset to default' }).click();
    await page.keyboard.press('Escape');
    expect((await headers()).join()).toContain('OS version (Google)');

    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('menuitem', { name: 'Spares by model' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'spare');
    const url = new URL(page.url());
    expect(url.searchParams.get('sort')).toBe('model');
    const shown = (await headers()).join();
    expect(shown).not.toContain('OS version (Google)');
    expect(shown).toContain('Org unit (Google)');

    const stored = await page.evaluate(async () => (await fetch('/api/v1/saved-views?list=devices')).json());
    expect(stored.views).toMatchObject([
      { name: 'Spares by model', filters: 'status=spare&sort=model&order=desc' },
    ]);
  });
});
