// Debian's chromium driven by playwright-core (`npx playwright install`
// cannot download browsers here). The flags keep Chromium from reaching for
// Google's services on a closed network.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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
 * server's origin (there must be none: no CDN), every asset that fails and
 * every Content-Security-Policy violation.
 */
export async function newPage(browser, baseURL, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ baseURL, viewport: { width, height }, locale: 'fr-FR' });
  const page = await context.newPage();
  const problems = { errors: [], foreign: [], missingAssets: [], csp: [] };
  const origin = new URL(baseURL).origin;
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  // The Content-Security-Policy allows only the app's own assets: anything
  // it blocks (inline script or style, foreign source) is a bug.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.csp.push(m.text());
  });
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

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Loads axe-core into `page`. Through the DevTools protocol rather than a
 * `<script>` tag: the Content-Security-Policy rightly refuses inline
 * scripts, and the test must not loosen it.
 */
export async function injectAxe(page) {
  await page.evaluate(AXE_SOURCE);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) throw new Error('axe-core did not load');
}

/**
 * Runs axe-core on `page`; reports every violation as a diagnostic of `t`
 * and fails on the serious or critical ones.
 */
export async function axeCheck(page, name, t) {
  await injectAxe(page);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  for (const v of violations) t.diagnostic(`${name} [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.join(' | ')}`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(blocking, [], `serious or critical axe violations on ${name}`);
}

/** Presses Tab until `predicate` (evaluated in the page) holds, at most `max` times. */
export async function tabTo(page, predicate, max = 80) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate)) return;
  }
  throw new Error(`focus never reached the target after ${max} Tab presses`);
}
