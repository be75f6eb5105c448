// Debian's chromium driven by playwright-core (`npx playwright install`
// cannot download browsers here). The flags keep Chromium from reaching for
// Google's services on a closed network.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A new page that records script errors, every request leaving the
 * server's origin (there must be none: no CDN) and every asset that fails.
 */
export async function newPage(browser, baseURL, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ baseURL, viewport: { width, height }, locale: 'fr-FR' });
  const page = await context.newPage();
  const problems = { errors: [], foreign: [], missingAssets: [] };
  const origin = new URL(baseURL).origin;
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.foreign.push(u);
  });
  page.on('response', (r) => {
    if (r.url().startsWith(`${origin}/assets/`) && r.status() >= 400) problems.missingAssets.push(`${r.status()} ${r.url()}`);
  });
  page.problems = problems;
  return page;
}
