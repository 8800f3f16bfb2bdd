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

/** A value under a run's Details, by its label. */
function detail(run: Locator, label: string): Promise<string | null> {
  return run.locator(`dt:text-is("${label}") + dd`).textContent();
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

    const runs = dialog.getByRole('list', { name: `Sync runs of ${PROVIDER}` }).getByRole('listitem');
    await expect(runs.count()).resolves.toBe(25);
    await dialog.getByText('The latest 25 runs, newest first.', { exact: false }).waitFor();
    const newest = runs.first();
    // What happened comes first, in words; the engineer's figures wait under Details.
    await expect(newest.getByText(/^Sync now · /).count()).resolves.toBe(1);
    await newest
      .getByText('Checked 120 devices: 100 found in Google (3 changed, 97 unchanged), 20 not in Google.')
      .waitFor();
    await expect(newest.locator('dl').count()).resolves.toBe(0);
    await newest.getByRole('button', { name: 'Details' }).click();
    await expect(
      newest.getByRole('button', { name: 'Hide details' }).getAttribute('aria-expanded'),
    ).resolves.toBe('true');
    await expect(detail(newest, 'Strategy')).resolves.toBe('Lookups (batched)');
    // Runs recorded before request scopes existed were planned as Fewest API calls allows.
    await expect(detail(newest, 'Requests allowed')).resolves.toBe('Fewest API calls');
    await expect(detail(newest, 'Complete pass')).resolves.toBe('Yes');
    await expect(detail(newest, 'Duration')).resolves.toBe('5 s');
    await expect(detail(newest, 'API calls / estimate')).resolves.toBe('10 / 10');
    await expect(detail(newest, 'Retries')).resolves.toBe('2');
    await expect(detail(newest, 'Not found in Google')).resolves.toBe('20');
    // Lookups ask only about tracked devices: they never count the provider's devices outside the inventory.
    await expect(detail(newest, 'Outside inventory')).resolves.toBe(
      'unknown (only a complete listing counts them)',
    );
    await runs
      .nth(1)
      .getByText(/Google also has 7 devices that match nothing Satchel syncs\.$/)
      .waitFor();
    await runs.nth(1).getByRole('button', { name: 'Details' }).click();
    await expect(detail(runs.nth(1), 'Strategy')).resolves.toBe('Full listing');
    await expect(detail(runs.nth(1), 'Outside inventory')).resolves.toBe('7');
    await runs
      .nth(2)
      .getByText(/^Asked Google only for devices changed since /)
      .waitFor();
    await runs.nth(2).getByRole('button', { name: 'Details' }).click();
    await expect(detail(runs.nth(2), 'Strategy')).resolves.toMatch(/^Changes since .+/);
    await expect(detail(runs.nth(2), 'Complete pass')).resolves.toBe('No (changes only)');

    await dialog.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(RUNS);
    await dialog.getByText('All 30 runs, newest first.', { exact: false }).waitFor();
    await expect(dialog.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
    const oldest = runs.last();
    await oldest.getByText('Failed', { exact: true }).waitFor();
    await oldest
      .getByText('Stopped with an error: Google answered with a malformed page.', { exact: false })
      .waitFor();
    await screenshot('mdm-sync-history-paged');
  });

  it('fits a phone: the history fills the screen and nothing scrolls sideways', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${server.url}/settings/mdm`);
    await phone.getByRole('region', { name: PROVIDER }).getByRole('button', { name: 'Sync history' }).click();
    const dialog = phone.getByRole('dialog', { name: `Sync history — ${PROVIDER}` });
    const runs = dialog.getByRole('list', { name: `Sync runs of ${PROVIDER}` }).getByRole('listitem');
    await runs.first().waitFor();
    await runs.first().getByRole('button', { name: 'Details' }).click();
    await runs.first().locator('dl').waitFor();
    const box = await dialog.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(375);
    const sideways = await dialog.evaluate((element) => {
      const wide = [...element.querySelectorAll<HTMLElement>('*')].filter(
        (child) => child.getBoundingClientRect().right > window.innerWidth + 1,
      );
      return wide.map((child) => `${child.tagName}.${child.className}`).slice(0, 5);
    });
    expect(sideways).toEqual([]);
    await phone.close();
  });
});
