import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeJamfSchool,
  type FakeJamfSchoolDevice,
  generateFleet,
  startFakeJamfSchool,
} from '../../fakes/jamf-school/index.ts';
import { createDistrict, type Session, signIn, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser, signInInBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

const PROVIDER = 'Jamf School';
/** Jamf School knows the first two; the third is only in Satchel. */
const SERIALS = ['DMPXE2E00001', 'DMPXE2E00002', 'DMPXE2E00003'];

let fake: FakeJamfSchool;
let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;
let api: Session;
let page: Page;
const deviceIds: string[] = [];

beforeAll(async () => {
  fake = await startFakeJamfSchool({
    devices: generateFleet({ size: 12, seed: 'browser', serials: SERIALS.slice(0, 2) }),
  });
  // The fake listens on loopback, which Satchel refuses for a district-entered address unless told otherwise.
  server = await startTestServer({
    environment: { SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' },
    jobs: true,
  });
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Riverbend Schools');
  api = await signIn(server.app, district.admin);
  for (const serialNumber of SERIALS) {
    const response = await api.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber, status: 'in_service' },
    });
    deviceIds.push(response.json<{ id: string }>().id);
  }
  page = await browser.newPage();
  await signInInBrowser(page, server.url, district.admin.email);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

function tile(): Locator {
  return page.getByRole('region', { name: PROVIDER });
}

function stored(serial: string): FakeJamfSchoolDevice {
  const device = fake.devices('default').find((candidate) => candidate.serialNumber === serial);
  if (!device) throw new Error(`the fake has no ${serial}`);
  return device;
}

describe('Jamf School in the browser', () => {
  it('activates with its address, refuses a wrong Network ID, and becomes active with the right one', async () => {
    await page.getByRole('link', { name: 'System Settings' }).click();
    await page.getByRole('tab', { name: 'MDM Settings' }).click();
    await tile().getByText('Inactive', { exact: true }).waitFor();
    await tile().getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate ${PROVIDER}` });
    await dialog.getByLabel('Jamf School address').fill(`${fake.url}/api/`);
    await expect(dialog.getByLabel('Jamf School time zone').inputValue()).resolves.toBe('UTC');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tile().getByText('Needs authorization', { exact: true }).waitFor();
    await tile().getByText(fake.url, { exact: true }).waitFor();

    await tile().getByText('Next: enter the Network ID and an API key').waitFor();
    const form = tile().getByRole('form', { name: `API key for ${PROVIDER}` });
    await form.getByLabel('Network ID').fill('99999999');
    await form.getByLabel('API key').fill(fake.apiKey);
    await form.getByRole('button', { name: 'Test and save' }).click();
    await tile()
      .getByText(/refused the Network ID and API key \(401\)/)
      .waitFor();
    await tile().getByText('Needs authorization', { exact: true }).waitFor();

    const mark = fake.mark();
    await form.getByLabel('Network ID').fill(fake.networkId);
    await form.getByRole('button', { name: 'Test and save' }).click();
    // Authorizing queues a first sync, which looks each tracked device up.
    await tile()
      .getByText(`2 matched, 1 not found in ${PROVIDER}`, { exact: false })
      .waitFor({ timeout: 30_000 });
    await tile().getByText('Active', { exact: true }).waitFor();
    const lookups = fake.requestsSince(mark).filter((entry) => entry.operation === 'devices.lookup');
    expect(lookups.flatMap((entry) => entry.serials).sort()).toEqual([...SERIALS, 'SATCHEL-CONNECTION-TEST']);
  });

  it("shows Jamf School's data on the device screen, and says when Jamf School does not know a device", async () => {
    const known = stored(SERIALS[0] as string);
    await page.goto(`${server.url}/devices/${deviceIds[0]}`);
    const panel = page.getByRole('region', { name: PROVIDER });
    await panel.getByText(/^as of .+\(.+\)$/).waitFor();
    for (const text of [known.model.name, `${known.os.prefix} ${known.os.version}`, known.UDID, known.name]) {
      await expect(panel.getByText(text, { exact: true }).first().isVisible(), text).resolves.toBe(true);
    }
    await expect(panel.getByText('Supervised', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('link', { name: 'Open in Jamf School' }).count()).resolves.toBe(0);

    await page.goto(`${server.url}/devices/${deviceIds[2]}`);
    await page
      .getByRole('region', { name: PROVIDER })
      .getByText(`Not found in ${PROVIDER}`, { exact: true })
      .first()
      .waitFor();
  });
});
