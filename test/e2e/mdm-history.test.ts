import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, PASSWORD, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { inactiveGoogleConnection } from './seed.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const PROVIDER = 'Google Admin (ChromeOS)';
const DAY_MS = 24 * 3600 * 1000;
const RUNS = 30;
/** Four days ago Google was asked far more than on any other day. */
const BUSY_DAYS_AGO = 4;
const BUSY_CALLS = 500;
const STRATEGIES = ['batch_lookup', 'full_listing', 'incremental_listing'] as const;

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let page: Page;

function apiCallsOf(daysAgo: number): number {
  return daysAgo === BUSY_DAYS_AGO ? BUSY_CALLS : 10 + daysAgo;
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

beforeAll(async () => {
  // Stay clear of a UTC midnight between writing the runs and the browser asking for the usage.
  const untilMidnight = DAY_MS - (Date.now() % DAY_MS);
  if (untilMidnight < 30_000) await new Promise((resolve) => setTimeout(resolve, untilMidnight + 100));
  server = await startTestServer();
  district = await createDistrict(server.database, 'Brookfield Schools');
  const db = server.database.db;
  const connectionId = await inactiveGoogleConnection(server.database, district.id);
  // A run a day for the last 30 days (today's first), as the engine would have left them.
  const now = Date.now();
  for (let daysAgo = 0; daysAgo < RUNS; daysAgo++) {
    const startedAt = new Date(now - daysAgo * DAY_MS);
    const strategy = STRATEGIES[daysAgo % STRATEGIES.length] ?? 'batch_lookup';
    const failed = daysAgo === RUNS - 1;
    await db
      .insertInto('sync_runs')
      .values({
        district_id: district.id,
        connection_id: connectionId,
        provider: 'google',
        trigger: daysAgo === 0 ? 'manual' : 'schedule',
        strategy,
        estimate: JSON.stringify({
          apiCalls: apiCallsOf(daysAgo),
          complete: strategy !== 'incremental_listing',
          fullPass: strategy !== 'incremental_listing',
          changedSince: strategy === 'incremental_listing' ? new Date(now - (daysAgo + 1) * DAY_MS) : null,
        }),
        state: failed ? 'failed' : 'succeeded',
        counters: JSON.stringify({
          considered: 120,
          matched: 100,
          changed: 3,
          unchanged: 97,
          notFound: 20,
          unmatchedProviderDevices: 7,
          apiCalls: apiCallsOf(daysAgo),
          retries: daysAgo === 0 ? 2 : 0,
          pages: 1,
        }),
        error: failed ? 'Google answered with a malformed page' : null,
        queued_at: startedAt,
        started_at: startedAt,
        finished_at: new Date(startedAt.getTime() + 5000),
      })
      .execute();
  }

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${server.url}/settings/mdm`);
  await page.getByLabel('Email').fill(district.admin.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Devices' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Screenshots for people reviewing the UI: only when SCREENSHOT_DIR is set. */
async function screenshot(name: string): Promise<void> {
  const directory = process.env.SCREENSHOT_DIR;
  if (!directory) return;
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${directory}/${name}.png` });
}

function cell(row: Locator, index: number): Promise<string | null> {
  return row.getByRole('cell').nth(index).textContent();
}

/** A cell's first line (the strategy cell says, below it, which requests the run was allowed). */
function firstLine(row: Locator, index: number): Promise<string | null> {
  return row.getByRole('cell').nth(index).locator('p').first().textContent();
}

describe('sync history in the browser', () => {
  it('charts API calls per day and pages through older runs with Load more', async () => {
    await page.goto(`${server.url}/settings/mdm`);
    const tile = page.getByRole('region', { name: PROVIDER });
    await tile.getByRole('button', { name: 'Sync history' }).click();
    const dialog = page.getByRole('dialog', { name: `Sync history — ${PROVIDER}` });

    const chart = dialog.getByRole('img', { name: 'API calls per day (last 30 days)' });
    await chart.waitFor();
    const total = Array.from({ length: RUNS }, (_, daysAgo) => apiCallsOf(daysAgo)).reduce((a, b) => a + b);
    const summary = dialog.locator('figcaption');
    await expect(summary.textContent()).resolves.toMatch(
      new RegExp(
        `^${total.toLocaleString('en-US')} API calls in the last 30 days; the busiest day was .+ with ${BUSY_CALLS} calls\\.$`,
      ),
    );
    await expect(chart.getAttribute('aria-describedby')).resolves.toBe(await summary.getAttribute('id'));
    await expect(chart.locator('g > title').count()).resolves.toBe(30);
    const busyDay = utcDay(Date.now() - BUSY_DAYS_AGO * DAY_MS);
    await expect(chart.locator(`g[data-day="${busyDay}"] > title`).textContent()).resolves.toMatch(
      new RegExp(`: ${BUSY_CALLS} API calls$`),
    );
    const busyBar = await chart.locator(`g[data-day="${busyDay}"] > rect`).nth(1).boundingBox();
    const todayBar = await chart
      .locator(`g[data-day="${utcDay(Date.now())}"] > rect`)
      .nth(1)
      .boundingBox();
    expect(busyBar?.height).toBeGreaterThan((todayBar?.height ?? 0) * 10);

    await screenshot('mdm-sync-history-chart');

    const table = dialog.getByRole('table', { name: `Sync history of ${PROVIDER}` });
    const rows = table.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(25);
    await dialog.getByText('The latest 25 runs, newest first.', { exact: false }).waitFor();
    const newest = rows.first();
    await expect(cell(newest, 1)).resolves.toBe('Sync now');
    await expect(firstLine(newest, 2)).resolves.toBe('Lookups (batched)');
    // Runs recorded before request scopes existed were planned as Fewest API calls allows.
    await expect(cell(newest, 2)).resolves.toBe('Lookups (batched)Fewest API calls');
    await expect(cell(newest, 3)).resolves.toBe('Yes');
    await expect(cell(newest, 5)).resolves.toBe('5 s');
    const counts = await Promise.all([6, 7, 8, 9, 10, 11, 12, 13].map((index) => cell(newest, index)));
    expect(counts).toEqual(['120', '100', '3', '97', '20', '7', '10 / 10', '2']);
    await expect(firstLine(rows.nth(1), 2)).resolves.toBe('Full listing');
    await expect(firstLine(rows.nth(2), 2)).resolves.toMatch(/^Changes since .+/);
    await expect(cell(rows.nth(2), 3)).resolves.toBe('No (changes only)');

    await dialog.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(RUNS);
    await dialog.getByText('All 30 runs, newest first.', { exact: false }).waitFor();
    await expect(dialog.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
    const oldest = rows.last();
    await expect(cell(oldest, 4)).resolves.toBe('Failed');
    await expect(cell(oldest, 14)).resolves.toBe('Google answered with a malformed page');
    await screenshot('mdm-sync-history-paged');
  });
});
