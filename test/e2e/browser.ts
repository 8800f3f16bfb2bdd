import { type Browser, chromium, type Page } from 'playwright-core';
import { PASSWORD } from '../setup/factories.ts';

/** Debian's Chromium, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * Signs `email` in on the sign-in page, as a person would, and waits for the app. Sign-in is rate limited per
 * address, so a test file signs its administrator in once.
 */
export async function signInInBrowser(page: Page, serverUrl: string, email: string): Promise<void> {
  await page.goto(`${serverUrl}/devices`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Devices' }).waitFor();
}
