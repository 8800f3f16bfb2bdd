import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_DOMAIN } from '../fakes/google/index.ts';
import { startDemo } from './demo/district.ts';
import { startGoogle } from './demo/google.ts';

/**
 * `npm run screenshots`: the demo district with Google connected and synced, photographed in Debian's Chromium
 * at 1366×900, light and dark, into docs/screenshots/ (the README shows them).
 */
const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs/screenshots');
const PROVIDER = 'Google Admin (ChromeOS)';
process.env.FAKE_GOOGLE_PORT ??= '4110';
process.env.LOG_LEVEL ??= 'warn';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 3900),
  dataDir: path.join(tmpdir(), `satchel-screenshots-${process.pid}`),
  devices: 400,
  people: 500,
  fakes: [startGoogle],
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${demo.url}/sign-in`);
  await page.getByLabel('Email').fill(demo.email);
  await page.getByLabel('Password', { exact: true }).fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Devices' }).waitFor();
}

/** Activates and authorizes Google through its fake, then waits for the first sync to finish. */
async function connectGoogle(page: Page): Promise<void> {
  await page.goto(`${demo.url}/settings/mdm`);
  const tile = page.getByRole('region', { name: PROVIDER });
  await tile.getByRole('button', { name: 'Activate' }).click();
  const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
  await dialog.getByRole('button', { name: 'Activate' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await tile.getByRole('button', { name: 'Authorize with Google' }).click();
  await page.getByLabel('Google account').fill(`admin@${DEFAULT_DOMAIN}`);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByText('Authorization complete').waitFor();
  for (let attempt = 0; attempt < 120; attempt++) {
    const synced = await page.evaluate(async () => {
      const { providers } = await (await fetch('/api/v1/mdm/providers')).json();
      return providers.some(
        (tile: { key: string; lastSync: unknown }) => tile.key === 'google' && tile.lastSync,
      );
    });
    if (synced) return;
    await page.waitForTimeout(500);
  }
  throw new Error('The first Google sync did not finish in a minute');
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let fades and charts settle.
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

try {
  await mkdir(outDir, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page);
  await connectGoogle(page);
  const deviceId = await page.evaluate(async () => {
    const list = await (await fetch('/api/v1/devices?mdmMatch=matched&assigned=true&pageSize=40')).json();
    // Past the first few, which the demo enrols twice in Google on purpose.
    return list.devices.at(-1).id as string;
  });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${demo.url}/devices`);
    await page.getByRole('columnheader', { name: 'User (Google)' }).waitFor();
    // Scrolled to Google's columns, with the serial number pinned at the left.
    await page.getByRole('region', { name: 'Devices, scrolls sideways' }).evaluate((region) => {
      region.scrollLeft = region.scrollWidth;
    });
    await shoot(page, `devices-${scheme}`);
    await page.goto(`${demo.url}/devices/${deviceId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await shoot(page, `device-${scheme}`);
    await page.goto(`${demo.url}/settings/mdm`);
    await page.getByRole('region', { name: PROVIDER }).waitFor();
    await shoot(page, `mdm-settings-${scheme}`);
  }
} finally {
  await browser.close();
  await demo.stop();
}
