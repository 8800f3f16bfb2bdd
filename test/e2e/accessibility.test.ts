import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src/server/inventory/demo-data.ts';
import { createDistrict, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { inactiveGoogleConnection } from './seed.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const THEMES = ['light', 'dark'] as const;

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let deviceId: string;
let personId: string;

/** A district with demo inventory, Google data on its devices and a sync run, so each page shows its real content. */
async function seedDistrict(): Promise<void> {
  const db = server.database.db;
  district = await createDistrict(server.database, 'Cedar Falls Schools');
  await generateDemoData(db, district.id, { devices: 40, people: 30, seed: 7 });
  const device = await db
    .selectFrom('devices')
    .select(['id', 'assigned_person_id'])
    .where('district_id', '=', district.id)
    .where('assigned_person_id', 'is not', null)
    .orderBy('serial_key')
    .executeTakeFirstOrThrow();
  deviceId = device.id;
  personId = device.assigned_person_id ?? '';
  const connectionId = await inactiveGoogleConnection(server.database, district.id);
  await db
    .insertInto('mdm_device_records')
    .values({
      district_id: district.id,
      device_id: deviceId,
      provider: 'google',
      provider_device_id: 'google-device-1',
      fields: JSON.stringify({
        mdmStatus: 'ACTIVE',
        lastCheckInAt: '2026-11-19T10:00:00.000Z',
        osVersion: '131.0.6778.191',
        autoUpdateExpiration: '2029-06-01T00:00:00.000Z',
        orgUnit: '/Students/Cedar',
      }),
      extras: '{}',
      match_state: 'matched',
      fetched_at: new Date(),
    })
    .execute();
  const startedAt = new Date(Date.now() - 3600_000);
  await db
    .insertInto('sync_runs')
    .values({
      district_id: district.id,
      connection_id: connectionId,
      provider: 'google',
      trigger: 'schedule',
      strategy: 'batch_lookup',
      estimate: JSON.stringify({ apiCalls: 1, complete: true, fullPass: true, changedSince: null }),
      state: 'succeeded',
      counters: JSON.stringify({
        considered: 40,
        matched: 1,
        changed: 1,
        unchanged: 0,
        notFound: 39,
        unmatchedProviderDevices: 0,
        apiCalls: 1,
        retries: 0,
        pages: 1,
      }),
      queued_at: startedAt,
      started_at: startedAt,
      finished_at: new Date(startedAt.getTime() + 4000),
    })
    .execute();
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  await seedDistrict();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What axe finds wrong on the page as it is now, in words a failing test can show. */
async function violationsOn(page: Page): Promise<string[]> {
  // Let transitions (Mantine fades colours in) settle, so contrast is judged on the final colours.
  await page.waitForTimeout(300);
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} — ${node.failureSummary}`),
  );
}

async function expectNoViolations(page: Page, where: string): Promise<void> {
  expect(await violationsOn(page), `axe violations on ${where}`).toEqual([]);
}

/** Each signed-in page and what shows it has loaded. */
const SIGNED_IN_PAGES: { path: () => string; ready: (page: Page) => Promise<void> }[] = [
  { path: () => '/devices', ready: (page) => page.getByRole('table', { name: 'Devices' }).waitFor() },
  { path: () => `/devices/${deviceId}`, ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { path: () => '/people', ready: (page) => page.getByRole('table').first().waitFor() },
  { path: () => `/people/${personId}`, ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { path: () => '/schools', ready: (page) => page.getByRole('table').first().waitFor() },
  { path: () => '/reports', ready: (page) => page.getByRole('heading', { level: 2 }).first().waitFor() },
  { path: () => '/account', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { path: () => '/settings/users', ready: (page) => page.getByRole('table').first().waitFor() },
  {
    path: () => '/settings/mdm',
    ready: (page) => page.getByRole('region', { name: 'Google Admin (ChromeOS)' }).waitFor(),
  },
  { path: () => '/settings/tokens', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { path: () => '/settings/audit', ready: (page) => page.getByRole('table').first().waitFor() },
  {
    path: () => '/settings/district',
    ready: (page) => page.getByLabel('District time zone').first().waitFor(),
  },
  { path: () => '/no/such/page', ready: (page) => page.getByText('Page not found').waitFor() },
];

describe.each(THEMES)('every page in the %s theme', (theme) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ colorScheme: theme, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
  });

  it('follows the system setting', async () => {
    await page.goto(`${server.url}/sign-in`);
    await expect
      .poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme')))
      .toBe(theme);
  });

  it('passes axe on the pages a signed-out visitor sees', async () => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email').waitFor();
    await expectNoViolations(page, 'sign-in');
    await page.goto(`${server.url}/setup?token=not-a-real-token`);
    await page.getByText('This setup link is not valid').waitFor();
    await expectNoViolations(page, 'setup');
  });

  it('passes axe on every signed-in page', async () => {
    await signInInBrowser(page, server.url, district.admin.email);
    const found: Record<string, string[]> = {};
    for (const signedIn of SIGNED_IN_PAGES) {
      await page.goto(`${server.url}${signedIn.path()}`);
      await signedIn.ready(page);
      const violations = await violationsOn(page);
      if (violations.length > 0) found[signedIn.path()] = violations;
    }
    expect(found).toEqual({});
  }, 240_000);

  it('passes axe on the sync history, a setup guide and the column chooser', async () => {
    await page.goto(`${server.url}/settings/mdm`);
    const tile = page.getByRole('region', { name: 'Google Admin (ChromeOS)' });
    await tile.getByRole('button', { name: /history/i }).click();
    await page.getByRole('dialog').waitFor();
    await expectNoViolations(page, 'sync history');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await tile.getByRole('button', { name: 'Setup guide' }).click();
    await page.getByRole('dialog').getByRole('table').first().waitFor();
    await expectNoViolations(page, 'setup guide');
    await page.keyboard.press('Escape');
    await page.goto(`${server.url}/devices`);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('group', { name: 'Columns to show' }).waitFor();
    await expectNoViolations(page, 'column chooser');
  });
});

describe('keyboard and theme', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    await signInInBrowser(page, server.url, district.admin.email);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('offers a skip-to-content link first, which moves focus past the navigation', async () => {
    await page.goto(`${server.url}/people`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await expect(skip.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main-content');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(
      () => document.getElementById('main-content')?.contains(document.activeElement) ?? false,
    );
    expect(inMain).toBe(true);
  });

  it('draws a visible focus ring on every control reached with Tab', async () => {
    await page.goto(`${server.url}/devices`);
    await page.getByRole('table', { name: 'Devices' }).waitFor();
    const unringed: string[] = [];
    for (let stop = 0; stop < 25; stop++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        // A field inside a multi-select draws its ring on the box around it.
        const drawn = element.closest<HTMLElement>('.mantine-Input-input') ?? element;
        const style = getComputedStyle(drawn);
        const ringed = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1;
        const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30);
        return { ringed, name: `${element.tagName} ${name ?? ''}` };
      });
      if (focused && !focused.ringed) unringed.push(focused.name);
    }
    expect(unringed).toEqual([]);
  });

  it('switches to dark by hand and remembers the choice after a reload', async () => {
    await page.goto(`${server.url}/devices`);
    const scheme = () =>
      page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
    await expect.poll(scheme).toBe('light');
    await page.getByRole('button', { name: /^Theme/ }).click();
    await page.getByRole('menuitem', { name: 'Dark' }).click();
    await expect.poll(scheme).toBe('dark');
    await page.reload();
    await page.getByRole('table', { name: 'Devices' }).waitFor();
    await expect.poll(scheme).toBe('dark');
    await page.getByRole('button', { name: 'Theme: Dark' }).click();
    await page.getByRole('menuitem', { name: 'Match this device' }).click();
    await expect.poll(scheme).toBe('light');
  });
});
