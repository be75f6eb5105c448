// Browser test of the cohort follow-up (issue 18) against a real `lba serve`:
// generated cohort → campaign launched → `lba demo outcomes` with known
// effects → `lba campaign import-outcomes` → the dashboard (funnel, SVG
// chart and its table, estimates whose intervals hold the true effects) at
// 1280 and 320 px, and a person's page; axe-core on each page.
// Run: LBA_BIN=…/lba node --test tests/browser/impact.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS, REPO } from './support/server.mjs';
import { launchBrowser, newPage, axeCheck } from './support/browser.mjs';
import { signInAsAdmin } from './support/pro.mjs';


let server;
let browser;
let campaign;
let person;
let lastDate;

function lba(args) {
  const run = spawnSync(server.bin, args, {
    cwd: server.work,
    env: { ...process.env, LBA_DATABASE_URL: server.database, LBA_LOG: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `lba ${args.join(' ')}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const cohort = join(server.work, 'cohorte.csv');
  lba(['demo', 'cohort', '--candidates', '400', '--out', cohort]);
  lba(['campaign', 'import-cohort', '--file', cohort, '--source', 'parcoursup']);
  campaign = JSON.parse(lba(['campaign', 'create', '--spec', join(REPO, 'docs/campagne-exemple.json'), '--json'])).id;
  lba(['campaign', 'launch', '--id', campaign]);
  const outcomes = join(server.work, 'resultats.csv');
  const report = JSON.parse(lba(['demo', 'outcomes', '--campaign', campaign, '--base-rate', '0.30',
    '--effect', 'cfa=0.03,entreprises=0.05', '--seed', '3', '--out', outcomes, '--json']));
  lastDate = report.last_date;
  const imported = JSON.parse(lba(['campaign', 'import-outcomes', '--source', 'contrats', '--file', outcomes, '--json']));
  assert.equal(imported.rejected, 0);
  assert.ok(imported.contracts > 0);
  // Someone with a contract.
  person = readFileSync(outcomes, 'utf8').split('\n').find((l) => l.includes(';contrat_signe;')).split(';')[0];
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function login(page) {
  await signInAsAdmin(page, server);
  await page.goto('/operateur/campagnes');
}

const percent = (s) => Number(s.replace(/[^\d,−+-]/g, '').replace(',', '.').replace('−', '-'));

test('the dashboard: funnel, chart and table, estimates; readable at 320 px', async (t) => {
  const page = await newPage(browser, server.url);
  await login(page);
  await page.goto(`/operateur/campagnes/${campaign}`);
  await Promise.all([page.waitForURL(/\/impact$/), page.click('#lien-impact')]);
  // Choose D after the last outcome.
  await page.fill('#date', lastDate);
  await Promise.all([page.waitForURL(/date=/), page.click('form.lba-impact-date button')]);
  assert.equal(await page.locator('#entonnoir tbody tr').count(), 3);
  assert.equal(await page.locator('#graphe svg polyline').count(), 3);
  assert.ok((await page.locator('#semaines tbody tr').count()) >= 10, 'one row per week');
  assert.equal(await page.locator('#effets tbody tr').count(), 2);
  const cells = await page.locator('#effets tbody td:nth-of-type(1)').allTextContents();
  for (const c of cells) assert.match(c, /pts \[[−+-]?\d/);
  await page.screenshot({ path: join(ARTIFACTS, 'impact-1280.png'), fullPage: true });
  await axeCheck(page, 'impact 1280', t);
  assert.deepEqual(page.problems.csp, [], 'no inline style or script in the chart');
  assert.deepEqual(page.problems.foreign, [], 'no CDN');

  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 320 px`);
  const chartWidth = await page.locator('#graphe svg').evaluate((e) => e.getBoundingClientRect().width);
  assert.ok(chartWidth > 200 && chartWidth <= 320, `chart ${chartWidth} px wide`);
  // The axis labels stay readable: at least 9 px once scaled.
  const fontPx = await page.locator('#graphe svg text').first().evaluate((e) => e.getBoundingClientRect().height);
  assert.ok(fontPx >= 9, `axis text ${fontPx} px`);
  await page.screenshot({ path: join(ARTIFACTS, 'impact-320.png'), fullPage: true });
  await axeCheck(page, 'impact 320', t);
  assert.ok(percent((await page.locator('#entonnoir tbody tr').first().locator('td').last().textContent()).split('[')[0]) >= 0);
  await page.context().close();
});

test('a person page: wishes, arm and the dated timeline', async (t) => {
  const page = await newPage(browser, server.url, { width: 320, height: 800 });
  await login(page);
  await page.goto(`/operateur/personnes/${person}`);
  assert.match(await page.locator('h1').textContent(), new RegExp(person));
  const entries = await page.locator('#chronologie li').allTextContents();
  assert.ok(entries.some((e) => /Affecté au bras/.test(e)), entries.join('\n'));
  assert.ok(entries.some((e) => /Contrat d'apprentissage signé/.test(e)), entries.join('\n'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 320 px`);
  await page.screenshot({ path: join(ARTIFACTS, 'personne-320.png'), fullPage: true });
  await axeCheck(page, 'personne 320', t);
  await page.context().close();
});
