import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, signIn } from '../setup/factories.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let server: RunningTestServer;
let browser: Browser;
let page: Page;
let deviceId: string;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const district = await createDistrict(server.database, 'Oak Hill Schools');
  const api = await signIn(server.app, district.admin);
  const created = await api.inject({
    method: 'POST',
    url: '/api/v1/devices',
    payload: { serialNumber: 'PF3X9K2L', status: 'in_service' },
  });
  deviceId = created.json<{ id: string }>().id;
  const changed = await api.inject({
    method: 'PATCH',
    url: `/api/v1/devices/${deviceId}`,
    payload: { status: 'lost', assetTag: 'OH-1001' },
  });
  if (changed.statusCode !== 200) throw new Error(changed.body);
  page = await browser.newPage();
  await signInInBrowser(page, server.url, district.admin.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('audit log', () => {
  it('tells each event as a sentence with the person’s name, and a change field by field', async () => {
    await page.goto(`${server.url}/settings/audit`);
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.getByText('Ada Admin changed device PF3X9K2L').waitFor();
    await log.getByText('Ada Admin added device PF3X9K2L').waitFor();
    await log.getByText(/set up the district “Oak Hill Schools”$/).waitFor();
    const change = log.getByRole('listitem').filter({ hasText: 'Status:' });
    await expect(change.textContent()).resolves.toBe('Status: In service → Lost');
    await expect(log.getByRole('listitem').filter({ hasText: 'Asset tag:' }).textContent()).resolves.toBe(
      'Asset tag: (empty) → OH-1001',
    );
    // The device is named by its serial number, never by its internal id.
    await expect(log.textContent()).resolves.not.toContain(deviceId.slice(0, 8));
  });
});
