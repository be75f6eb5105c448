// Browser test of the orientation pages (`/orientation`) against a real
// `lba serve` on the local demo: the centres of interest picked with the
// keyboard only, a commune typed, the 10 métiers with their reasons, a
// suggestion's search opened by keyboard; axe-core on each page; no
// sideways scroll at 320 px; then the operator's experiment page counts
// the visit.
// Run: LBA_BIN=…/lba node --test tests/browser/orientation.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS } from './support/server.mjs';
import { launchBrowser, newPage, axeCheck, tabTo } from './support/browser.mjs';
import { signInAsAdmin } from './support/pro.mjs';


let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function noSidewaysScroll(context, url, name) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(url);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} at 320 px scrolls sideways by ${overflow} px`);
  await page.screenshot({ path: join(ARTIFACTS, `orientation-${name}-320.png`), fullPage: true });
  await page.close();
}

test('interests by keyboard, ten métiers with reasons, a suggestion\'s search, the experiment page', async (t) => {
  const page = await newPage(browser, server.url);
  await page.goto('/orientation');
  assert.equal(await page.locator('input[name=interets]').count(), 30);
  await axeCheck(page, 'questionnaire', t);
  await noSidewaysScroll(page.context(), '/orientation', 'questionnaire');

  // Three centres ticked with Tab and Space: 1, 2 and 3.
  await tabTo(page, "document.activeElement && document.activeElement.id === 'interet-1'", 120);
  await page.keyboard.press('Space');
  for (const code of [2, 3]) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), `interet-${code}`);
    await page.keyboard.press('Space');
  }
  assert.equal(await page.locator('input[name=interets]:checked').count(), 3);
  // The commune, typed; the level with the arrows.
  await tabTo(page, "document.activeElement && document.activeElement.id === 'lieu'");
  await page.keyboard.type('Lyon');
  await page.keyboard.press('Escape');
  await tabTo(page, "document.activeElement && document.activeElement.id === 'niveau'");
  await page.keyboard.press('ArrowDown');
  await tabTo(page, "document.activeElement && document.activeElement.type === 'submit'");
  await Promise.all([page.waitForURL(/\/orientation\/resultats/), page.keyboard.press('Enter')]);

  const cards = page.locator('li[id^=metier-]');
  assert.equal(await cards.count(), 10);
  const firstReasons = await page.locator('#metier-1 .lba-orientation__raisons li').allTextContents();
  assert.ok(firstReasons.some((r) => r.includes('correspond à')), firstReasons.join(' | '));
  assert.ok(firstReasons.some((r) => r.includes('60 km')), firstReasons.join(' | '));
  await axeCheck(page, 'resultats', t);
  await noSidewaysScroll(page.context(), page.url(), 'resultats');
  await page.screenshot({ path: join(ARTIFACTS, 'orientation-resultats-1280.png'), fullPage: true });

  // The first suggestion's search, by keyboard.
  await tabTo(page, "document.activeElement && /\\/orientation\\/suivi\\/\\d+\\/1\\/recherche$/.test(document.activeElement.getAttribute('href') || '')", 200);
  await Promise.all([page.waitForURL(/\/recherche\?/), page.keyboard.press('Enter')]);
  const url = new URL(page.url());
  assert.ok(url.searchParams.get('romes'), page.url());
  assert.equal(url.searchParams.get('insee'), '69123', page.url());
  assert.equal(await page.locator('h1').count(), 1);
  await page.context().close();

  // The operator's page counts one visitor with one search.
  const op = await newPage(browser, server.url);
  await op.goto('/operateur/orientation');
  assert.match(op.url(), /\/pro\/connexion$/);
  await signInAsAdmin(op, server);
  await op.goto('/operateur/orientation');
  const rows = op.locator('tr[data-presentation=""]');
  assert.equal(await rows.count(), 2);
  const visitors = await rows.locator('td:nth-child(2)').allTextContents();
  assert.deepEqual(visitors.map(Number).sort(), [0, 1]);
  const searched = await op.locator('tr[data-presentation=""] td:nth-child(6)').allTextContents();
  assert.ok(searched.some((s) => s.startsWith('100,0 %')), searched.join(' | '));
  await axeCheck(op, 'experimentation', t);
  await op.context().close();
});
