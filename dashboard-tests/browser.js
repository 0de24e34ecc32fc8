// Debian's Chromium, headless, driven by playwright-core (Playwright's own browser downloads are not
// reachable here, so no `npx playwright install`).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './stack.js';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Where screenshots go: dashboard-tests/screenshots, or docs/ with DASHBOARD_SCREENSHOTS=docs. */
export const SHOTS = process.env.DASHBOARD_SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : resolve(ROOT, 'dashboard-tests', 'screenshots');

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function shoot(page, name) {
  await page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: false });
}

/**
 * A browser context signed in with an API key, as the sign-in form leaves it: the key in the tab's
 * sessionStorage (set before the dashboard's scripts run on every page load).
 */
export async function signedInContext(browser, key, options = {}) {
  const context = await browser.newContext(options);
  await context.addInitScript((token) => sessionStorage.setItem('evalfleet.token', token), key);
  return context;
}
