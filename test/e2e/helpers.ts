// Page helpers shared by the serve-mode specs: sign in with a token, read a data-value,
// save a screenshot under test-results/screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { readServeInfo, SCREENSHOT_DIR } from './serve-info';

/** Opens serve mode's page in English and signs in with the token (the shared instance's, unless a spec started its own). */
export async function signIn(page: Page, token: string, url: string = readServeInfo().url): Promise<void> {
  await page.goto(url);
  await page.getByTestId('lang-en').click();
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
}

export async function valueOf(locator: Locator): Promise<number> {
  return Number(await locator.getAttribute('data-value'));
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
