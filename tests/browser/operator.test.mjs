// Browser test of the operator pages against a real `lba serve` started
// with an operator secret and a generated cohort: login, then the live
// preview of the campaign form (the script posts the form while the
// operator types and shows the server-rendered SMS with its parts).
// Run: node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS } from './support/server.mjs';
import { injectAxe, launchBrowser, newPage } from './support/browser.mjs';
import { signInAsAdmin } from './support/pro.mjs';


/** Serious or critical axe-core violations of the page. */
async function axeBlocking(page) {
  await injectAxe(page);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  if (violations.length) console.log(`axe on ${page.url()}:`, JSON.stringify(violations, null, 2));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

let server;
let browser;

function lba(args) {
  const run = spawnSync(server.bin, args, {
    cwd: server.work,
    env: { ...process.env, LBA_DATABASE_URL: server.database, LBA_LOG: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `lba ${args.join(' ')}:\n${run.stdout}\n${run.stderr}`);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const file = join(server.work, 'cohorte.csv');
  lba(['demo', 'cohort', '--candidates', '60', '--out', file]);
  lba(['campaign', 'import-cohort', '--file', file, '--source', 'parcoursup']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('login, then the live preview follows the typing', async () => {
  const page = await newPage(browser, server.url);
  await page.goto('/operateur/campagnes/nouvelle');
  assert.match(page.url(), /\/pro\/connexion$/);
  assert.deepEqual(await axeBlocking(page), [], 'axe on the sign-in page');

  await signInAsAdmin(page, server);
  await page.goto('/operateur/campagnes');
  assert.equal((await page.locator('h1').textContent()).trim(), 'Campagnes');

  await page.goto('/operateur/campagnes/nouvelle');
  await page.fill('#f-name', 'Essai navigateur');
  for (const i of [1, 2]) {
    await page.fill(`#f-arm${i}-subject`, 'Bonjour {{ prenom }}');
    await page.fill(`#f-arm${i}-text`, 'Votre recherche : {{ lien_recherche }}');
  }
  await page.fill('#f-arm2-sms', 'Variante b');
  // Typing the SMS of arm a refreshes the preview (no button pressed).
  await page.locator('#f-arm1-sms').pressSequentially('Bonjour {{ prenom }}, un CFA vous attend', { delay: 10 });
  const sms = page.locator('#apercu-zone .lba-op-sms').first();
  await sms.waitFor();
  await page.waitForFunction(() => /un CFA vous attend/.test(document.querySelector('#apercu-zone .lba-op-sms')?.textContent ?? ''));
  assert.match(await sms.textContent(), /^Bonjour \S.*, un CFA vous attend STOP/);
  assert.match(await page.locator('#apercu-zone .lba-op-sms-length').first().textContent(), /\d+ caractères, 1 SMS \(GSM-7\)/);

  // An unknown placeholder: the preview says which field, live.
  await page.locator('#f-arm1-sms').pressSequentially(' {{ inconnu }}', { delay: 10 });
  const error = page.locator('#apercu-zone .fr-alert--error');
  await error.waitFor();
  assert.match(await error.textContent(), /arms\[1\]\.templates\.sms/);
  await page.screenshot({ path: join(ARTIFACTS, 'operateur-apercu-1280.png'), fullPage: true });
  assert.deepEqual(await axeBlocking(page), [], 'axe on the campaign form');

  // Fixed and saved: the campaign page, then the list.
  await page.fill('#f-arm1-sms', 'Bonjour {{ prenom }}, un CFA vous attend');
  await Promise.all([
    page.waitForURL(/\/operateur\/campagnes\/[^/]+$/),
    page.click('button[name="action"][value="enregistrer"]'),
  ]);
  assert.equal((await page.locator('h1').textContent()).trim(), 'Essai navigateur');
  assert.match(await page.locator('#statut').textContent(), /brouillon/);
  assert.equal(await page.locator('#bras tbody tr').count(), 3);
  assert.deepEqual(await axeBlocking(page), [], 'axe on the campaign page');
  await page.goto('/operateur/campagnes');
  assert.match(await page.locator('#campagnes tbody').textContent(), /Essai navigateur/);

  assert.deepEqual(page.problems.errors, [], 'no script error');
  assert.deepEqual(page.problems.foreign, [], 'no request outside the app (no CDN)');
  assert.deepEqual(page.problems.missingAssets, [], 'every /assets/ file loads');
  assert.deepEqual(page.problems.csp, [], 'nothing blocked by the Content-Security-Policy');
  await page.context().close();
});
