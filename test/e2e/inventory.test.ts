import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, PASSWORD, type Session, signIn, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const XSS_MODEL = '<img src=x onerror=alert(1)>';

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let api: Session;
let page: Page;
const dialogs: string[] = [];
let person: { id: string; name: string };

async function post<T>(url: string, payload: unknown): Promise<T> {
  const response = await api.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Lakeside Schools');
  // Seed through the API as the administrator (server-side, so the browser signs in only once).
  api = await signIn(server.app, district.admin);
  await post('/api/v1/schools', { name: 'Lincoln High', code: 'LHS' });
  person = await post<{ id: string; name: string }>('/api/v1/people', {
    kind: 'student',
    name: 'Jordan Rivera',
    email: 'jordan.rivera@example.org',
    externalId: 'S-1001',
  });
  await post('/api/v1/devices', { serialNumber: 'XSS-0001', model: XSS_MODEL, notes: XSS_MODEL });

  page = await browser.newPage();
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${server.url}/devices`);
  await page.getByLabel('Email').fill(district.admin.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('table', { name: 'Devices' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function devicesTable() {
  return page.getByRole('table', { name: 'Devices' });
}

describe('inventory pages', () => {
  it('imports a CSV through the wizard, reporting the invalid row, then skipping it', async () => {
    await page.goto(`${server.url}/devices`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const wizard = page.getByRole('dialog', { name: 'Import devices' });
    const csv = [
      'serial_number,asset_tag,model,status,school',
      'E2E-0001,TAG-1,Chromebook 314,in service,Lincoln High',
      'E2E-0002,TAG-2,Chromebook 314,spare,LHS',
      'E2E-0003,TAG-3,Latitude 3140,in service,',
      'E2E-0004,TAG-4,Chromebook 314,broken,',
    ].join('\n');
    await wizard
      .locator('input[type="file"]')
      .setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`) });
    await wizard.getByRole('button', { name: 'Check file', exact: true }).click();

    const problems = wizard.getByRole('table', { name: 'Problems in the file' });
    await problems.getByRole('cell', { name: /Unknown status "broken"/ }).waitFor();
    await expect(problems.getByRole('row').count()).resolves.toBe(2);
    await expect(problems.getByRole('cell', { name: '5', exact: true }).isVisible()).resolves.toBe(true);
    const importButton = wizard.getByRole('button', { name: 'Import 3 devices' });
    await expect(importButton.isDisabled()).resolves.toBe(true);

    await wizard.getByLabel('Skip invalid rows').check();
    await importButton.click();
    await wizard.getByText('Imported: 3 created, 0 updated, 0 unchanged.').waitFor();
    await wizard.getByText('1 invalid row was skipped.').waitFor();
    await wizard.getByRole('button', { name: 'Done' }).click();
    await wizard.waitFor({ state: 'hidden' });

    for (const serial of ['E2E-0001', 'E2E-0002', 'E2E-0003']) {
      await devicesTable().getByRole('link', { name: serial, exact: true }).waitFor();
    }
    await expect(devicesTable().getByRole('link', { name: 'E2E-0004' }).count()).resolves.toBe(0);
    await page.getByText('4 devices in total').waitFor();
  });

  it('goes on checking a large file after the window is closed, and shows it again when opened', async () => {
    await page.goto(`${server.url}/devices`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const wizard = page.getByRole('dialog', { name: 'Import devices' });
    const lines = ['serial_number,model'];
    for (let index = 0; index < 60_000; index++)
      lines.push(`BULK-${String(index).padStart(6, '0')},Chromebook 314`);
    await wizard.locator('input[type="file"]').setInputFiles({
      name: 'bulk.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${lines.join('\n')}\n`),
    });
    await wizard.getByRole('button', { name: 'Check file', exact: true }).click();
    await wizard.getByText(/^Checking rows… \d+%|^Waiting for another import/).waitFor();
    await page.keyboard.press('Escape');
    await wizard.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Import CSV' }).click();
    await wizard.getByText(/^Checking rows… \d+%|^Waiting for another import/).waitFor();
    await wizard.getByText('60,000', { exact: true }).waitFor({ timeout: 120_000 });
    await wizard.getByText('Choose the file again to import it.').waitFor();
    await expect(wizard.getByRole('button', { name: 'Import 60,000 devices' }).isDisabled()).resolves.toBe(
      true,
    );
    await page.keyboard.press('Escape');
    await wizard.waitFor({ state: 'hidden' });
  }, 180_000);

  it('finds a device with the search box and keeps the search in the address', async () => {
    await page.goto(`${server.url}/devices`);
    await page
      .getByPlaceholder('Search serial, asset tag, model, person, or MDM user, name or MAC')
      .fill('e2e-0002');
    await page.waitForURL((url) => url.searchParams.get('q') === 'e2e-0002');
    await page.getByText('1 device match').waitFor();
    await expect(
      devicesTable().getByRole('link', { name: 'E2E-0002', exact: true }).isVisible(),
    ).resolves.toBe(true);
    await expect(devicesTable().locator('tbody tr').count()).resolves.toBe(1);

    // The filtered view survives a reload.
    await page.reload();
    await page.getByText('1 device match').waitFor();
    await expect(
      page.getByPlaceholder('Search serial, asset tag, model, person, or MDM user, name or MAC').inputValue(),
    ).resolves.toBe('e2e-0002');
  });

  it('checks a device out to a person and back in, and shows both in its history', async () => {
    await page.goto(`${server.url}/devices?q=E2E-0002`);
    await devicesTable().getByRole('link', { name: 'E2E-0002', exact: true }).click();
    await page.getByRole('heading', { name: 'E2E-0002' }).waitFor();

    await page.getByRole('button', { name: 'Check out' }).click();
    const checkOut = page.getByRole('dialog', { name: 'Check out device' });
    await checkOut.getByRole('combobox', { name: 'Person' }).fill('Jordan');
    await page.getByRole('option', { name: /Jordan Rivera/ }).click();
    await checkOut.getByRole('button', { name: 'Check out' }).click();
    await checkOut.waitFor({ state: 'hidden' });

    const current = page.getByRole('region', { name: 'Current assignment' });
    await current.getByRole('link', { name: 'Jordan Rivera' }).waitFor();
    // A spare device goes into service when it is checked out.
    await page.getByText('Status: Spare → In service').waitFor();

    await current.getByRole('button', { name: 'Check in' }).click();
    const checkIn = page.getByRole('dialog', { name: 'Check in device' });
    await checkIn.getByLabel('Condition note').fill('Cracked hinge');
    await checkIn.getByRole('button', { name: 'Check in' }).click();
    await checkIn.waitFor({ state: 'hidden' });
    await current.getByText('Not checked out.').waitFor();

    const history = page.getByRole('table', { name: 'Assignment history' });
    const row = history.getByRole('row', { name: /Jordan Rivera/ });
    await row.getByRole('cell', { name: 'Cracked hinge' }).waitFor();
    await expect(history.getByRole('row').count()).resolves.toBe(2);
    const activity = page.getByRole('region', { name: 'Activity' });
    await activity.getByText('Checked out to Jordan Rivera').waitFor();
    await activity.getByText('Checked in from Jordan Rivera').waitFor();
    await activity.getByText('Note: Cracked hinge').waitFor();
  });

  it('asks before marking a checked-out device lost, then checks it in with the change', async () => {
    const list = await api.inject({ method: 'GET', url: '/api/v1/devices?q=E2E-0003' });
    const device = list.json<{ devices: { id: string }[] }>().devices[0]!;
    await post(`/api/v1/devices/${device.id}/checkout`, { personId: person.id });

    await page.goto(`${server.url}/devices/${device.id}`);
    await page.getByRole('heading', { name: 'E2E-0003' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit device' });
    await edit.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Lost', exact: true }).click();
    await edit.getByRole('button', { name: 'Save changes' }).click();

    await edit
      .getByText('This device is checked out to Jordan Rivera. Check it in and mark it lost?')
      .waitFor();
    await edit.getByLabel('Check-in note').fill('Left on the bus');
    await edit.getByRole('button', { name: 'Check in and mark lost' }).click();
    await edit.waitFor({ state: 'hidden' });

    await page.getByRole('region', { name: 'Current assignment' }).getByText('Not checked out.').waitFor();
    await page.getByText('Status: In service → Lost').waitFor();
    await page.getByRole('table', { name: 'Assignment history' }).getByText('Left on the bus').waitFor();
  });

  it('shows user data as text and never as HTML', async () => {
    await page.goto(`${server.url}/devices`);
    await devicesTable().getByRole('link', { name: 'XSS-0001' }).waitFor();
    await expect(devicesTable().getByText(XSS_MODEL, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);

    await devicesTable().getByRole('link', { name: 'XSS-0001' }).click();
    await page.getByRole('heading', { name: 'XSS-0001' }).waitFor();
    const identity = page.getByRole('region', { name: 'Device', exact: true });
    await expect(identity.getByText(XSS_MODEL, { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });
});
