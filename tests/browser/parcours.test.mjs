// Browser test of the learning modules (`/parcours`) against a real
// `lba serve` with the content embedded from content/modules: one whole
// module with the keyboard only, including a wrong answer with its
// feedback and remediation; axe-core on each page type; no sideways scroll
// at 320 px; then the operator statistics page shows the run.
// Run: LBA_BIN=…/lba node --test tests/browser/parcours.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS, REPO } from './support/server.mjs';
import { launchBrowser, newPage, axeCheck, tabTo } from './support/browser.mjs';
import { signInAsAdmin } from './support/pro.mjs';

const MODULE = 'contact-cfa';

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

/**
 * The situations of a module file, read with a scanner of the content
 * format (README): id, kind and answers (id, correct, next).
 */
function situations(module) {
  const text = readFileSync(join(REPO, 'content/modules', `${module}.toml`), 'utf8');
  const found = new Map();
  let situation = null;
  let answer = null;
  let inMultiline = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const quotes = (line.match(/"""/g) || []).length;
    if (inMultiline) {
      if (quotes % 2 === 1) inMultiline = false;
      continue;
    }
    if (quotes % 2 === 1) { inMultiline = true; continue; }
    if (line === '[[situations]]') { situation = { answers: [], kind: 'main' }; answer = null; continue; }
    if (line === '[[situations.answers]]') { answer = { correct: false }; situation.answers.push(answer); continue; }
    if (line.startsWith('[')) { situation = null; answer = null; continue; }
    const m = line.match(/^(\w+)\s*=\s*(.*)$/);
    if (!m || !situation) continue;
    const [, key, value] = m;
    const str = value.startsWith('"') ? value.slice(1, value.indexOf('"', 1)) : value;
    if (answer) {
      if (key === 'id') answer.id = str;
      if (key === 'correct') answer.correct = value.startsWith('true');
      if (key === 'next') answer.next = str;
    } else {
      if (key === 'id') { situation.id = str; found.set(str, situation); }
      if (key === 'kind') situation.kind = str;
    }
  }
  return found;
}

async function noSidewaysScroll(url, name) {
  const page = await newPage(browser, server.url, { width: 320, height: 640 });
  await page.context().addCookies(await pageCookies());
  await page.goto(url);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} at 320 px scrolls sideways by ${overflow} px`);
  await page.screenshot({ path: join(ARTIFACTS, `parcours-${name}-320.png`), fullPage: true });
  await page.context().close();
}

let mainPage;
async function pageCookies() {
  return mainPage.context().cookies();
}

async function pressAndWait(page, key) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

test('a whole module with the keyboard only, axe on each page type, then the statistics', async (t) => {
  const plan = situations(MODULE);
  assert.ok(plan.size >= 8, `${MODULE}: ${plan.size} situations read`);
  const page = await newPage(browser, server.url);
  mainPage = page;
  await page.goto('/parcours');
  assert.equal(await page.locator('h2.fr-card__title').count(), 4);
  await axeCheck(page, 'liste', t);
  await noSidewaysScroll('/parcours', 'liste');

  // "Commencer" of the module, by keyboard.
  await tabTo(page, `document.activeElement && document.activeElement.getAttribute('href') === '/parcours/${MODULE}'`, 120);
  await pressAndWait(page, 'Enter');
  assert.equal(new URL(page.url()).pathname, `/parcours/${MODULE}`);

  let wrongDone = false;
  let remediationSeen = false;
  const seen = new Set();
  for (let step = 0; step < 40; step += 1) {
    if (await page.locator('h1', { hasText: 'À retenir' }).count()) break;
    const situationId = await page.locator('input[name=situation]').getAttribute('value');
    const situation = plan.get(situationId);
    assert.ok(situation, `situation ${situationId} in the file`);
    if (situation.kind === 'remediation') remediationSeen = true;
    if (!seen.has('situation')) {
      seen.add('situation');
      await axeCheck(page, 'situation', t);
      await noSidewaysScroll(`/parcours/${MODULE}`, 'situation');
    }
    // A wrong answer that leads to a remediation, once; else a right one.
    let index = situation.answers.findIndex((a) => a.correct);
    const wrong = situation.answers.findIndex((a) => !a.correct && a.next && plan.get(a.next)?.kind === 'remediation');
    if (!wrongDone && wrong >= 0) { index = wrong; wrongDone = true; }
    assert.ok(index >= 0);
    // Into the radio group, select with Space and the arrows.
    await tabTo(page, "document.activeElement && document.activeElement.name === 'reponse'");
    await page.keyboard.press('Space');
    for (let i = 0; i < index; i += 1) await page.keyboard.press('ArrowDown');
    const checked = await page.locator('input[name=reponse]:checked').getAttribute('value');
    assert.equal(checked, situation.answers[index].id);
    await tabTo(page, "document.activeElement && document.activeElement.type === 'submit'");
    await pressAndWait(page, 'Enter');
    // The feedback has the focus.
    assert.match(page.url(), /#retour$/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'retour');
    const verdict = await page.locator('#retour h2').textContent();
    assert.equal(verdict.trim(), situation.answers[index].correct ? 'Bonne réponse' : 'Pas la meilleure réponse');
    if (!seen.has(`retour-${verdict}`)) {
      seen.add(`retour-${verdict}`);
      await axeCheck(page, `retour (${verdict})`, t);
    }
    if (!seen.has('retour-320')) {
      seen.add('retour-320');
      await noSidewaysScroll(`/parcours/${MODULE}`, 'retour');
    }
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'continuer');
    await pressAndWait(page, 'Enter');
  }
  assert.ok(wrongDone, 'a wrong answer was given');
  assert.ok(remediationSeen, 'its remediation was shown');
  assert.equal((await page.locator('h1').textContent()).trim(), 'À retenir');
  const points = await page.locator('ul.lba-retenir li').count();
  assert.ok(points >= 3 && points <= 5, `${points} points to remember`);
  await axeCheck(page, 'fin', t);
  await noSidewaysScroll(`/parcours/${MODULE}`, 'fin');
  await page.screenshot({ path: join(ARTIFACTS, 'parcours-fin-1280.png'), fullPage: true });
  await page.goto('/parcours');
  assert.ok((await page.locator(`#avancement-${MODULE}`).textContent()).includes('Terminé'));
  await page.context().close();

  // The operator statistics show the run.
  const op = await newPage(browser, server.url);
  await op.goto('/operateur/parcours');
  assert.match(op.url(), /\/pro\/connexion$/);
  await signInAsAdmin(op, server);
  await op.goto('/operateur/parcours');
  const section = op.locator(`#module-${MODULE}-v1`);
  assert.match(await section.locator('ul.lba-stats').textContent(), /Départs : 1\s+Terminés : 1 \(100 %\)/);
  const rows = await section.locator('tbody tr').count();
  assert.ok(rows >= plan.size, `${rows} rows`);
  await axeCheck(op, 'statistiques', t);
  await op.screenshot({ path: join(ARTIFACTS, 'parcours-statistiques-1280.png'), fullPage: true });
  await op.context().close();
});
