import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createDistrict, PASSWORD, type TestDistrict } from '../setup/factories.ts';
import { launchBrowser } from './browser.ts';
import { type RunningTestServer, startTestServer } from './server.ts';

let server: RunningTestServer;
let browser: Browser;
let district: TestDistrict;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  district = await createDistrict(server.database, 'Riverside Unified');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signInAs(email: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/devices`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Devices' }).waitFor();
  return page;
}

describe('web shell', () => {
  it('signs an administrator in to the shell with System Settings and its Users page', async () => {
    const page = await signInAs(district.admin.email);
    expect(new URL(page.url()).pathname).toBe('/devices');
    await expect(page.getByText('Riverside Unified').first().isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'System Settings' }).click();
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('cell', { name: district.admin.email }).waitFor();
    await page.close();
  });

  it('shows a viewer no System Settings, and the server refuses them too', async () => {
    const viewer = await addUser(server.database, district, 'viewer');
    const page = await signInAs(viewer.email);
    await expect(page.getByRole('link', { name: 'People' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'System Settings' }).count()).resolves.toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
    expect(status).toBe(403);
    await page.goto(`${server.url}/settings/users`);
    await page.getByText("You don't have access to System Settings").waitFor();
    await page.close();
  });

  it('explains a wrong password without leaving the sign-in page', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email').fill(district.admin.email);
    await page.getByLabel('Password', { exact: true }).fill('definitely not it');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is incorrect').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  it('answers unknown pages with the 404 page', async () => {
    const page = await signInAs(district.admin.email);
    await page.goto(`${server.url}/no/such/page`);
    await page.getByText('Page not found').waitFor();
    await page.close();
  });
});
