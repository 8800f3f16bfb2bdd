import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../setup/factories.ts';
import { launchBrowser, providerTile, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let server: RunningTestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const district = await createDistrict(server.database, 'Maple Grove Schools');
  page = await browser.newPage();
  await signInInBrowser(page, server.url, district.admin.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('provider setup guides', () => {
  it('shows a provider’s setup guide as formatted text from its tile', async () => {
    await page.goto(`${server.url}/settings/mdm`);
    const { tile } = providerTile(page, 'Microsoft Intune');
    await tile.getByRole('button', { name: 'Setup guide' }).click();

    const guide = page.getByRole('dialog', { name: 'Microsoft Intune — setup guide' });
    await guide.waitFor();
    await expect
      .poll(() => guide.getByRole('heading', { level: 3, name: 'Before you start: your tenant' }).count())
      .toBe(1);
    const item = guide.getByRole('listitem').filter({ hasText: 'An app registration of your own' }).first();
    await item.waitFor();
    // Formatted, not raw Markdown: the emphasis is a real <strong> and no `**` or `##` is left on screen.
    expect(await item.locator('strong').first().textContent()).toBe('An app registration of your own');
    expect(await guide.textContent()).not.toMatch(/\*\*|## /);
    expect(await guide.getByRole('table').count()).toBeGreaterThan(0);

    const console = guide.getByRole('link', { name: 'Microsoft Entra admin center' }).first();
    expect(await console.getAttribute('href')).toBe('https://entra.microsoft.com/');
    expect(await console.getAttribute('target')).toBe('_blank');
    expect(await console.getAttribute('rel')).toBe('noreferrer');

    await page.keyboard.press('Escape');
    await guide.waitFor({ state: 'hidden' });
  });
});
