// Browser tests of the candidate pages against a real `lba serve`: the
// search journeys with the mouse and with the keyboard only, axe-core
// accessibility checks, and screenshots at phone and desktop widths
// (target/browser-artifacts/). Run: node --test tests/browser/
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS } from './support/server.mjs';
import { injectAxe, launchBrowser, newPage, tabTo } from './support/browser.mjs';

const METIER_OPTION = /^Boulanger \/ Boulangère/;
const LYON_OPTION = /^Lyon \(69/;
/** A search that the form sends once both suggestions are chosen. */
const RESULTS_URL = '/recherche?metier=Boulanger+%2F+Boulang%C3%A8re&romes=D1102&lieu=Lyon+%2869001%29'
  + '&latitude=45.758&longitude=4.835&insee=69123&radius=30';

let server;
let browser;
/** Detail links found on the results page, for the axe and screenshot tests. */
let details = null;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path, options) {
  const page = await newPage(browser, server.url, options);
  const response = await page.goto(path);
  return { page, response };
}

async function close(page) {
  assert.deepEqual(page.problems.errors, [], 'no script error');
  assert.deepEqual(page.problems.foreign, [], 'no request outside the app (no CDN)');
  assert.deepEqual(page.problems.missingAssets, [], 'every /assets/ file loads');
  assert.deepEqual(page.problems.csp, [], 'nothing blocked by the Content-Security-Policy');
  await page.context().close();
}

function submitButton(page) {
  return page.locator('form:has(#metier)').locator('button[type="submit"], input[type="submit"]').first();
}

/** The active option of a combobox, through aria-activedescendant. */
async function activeOptionText(page, inputSelector) {
  return page.$eval(inputSelector, (input) => {
    const id = input.getAttribute('aria-activedescendant');
    const option = id && document.getElementById(id);
    return option ? option.textContent : null;
  });
}

/** The first link matching `selector` on the results page of `url`, or null. */
async function firstLink(url, selector) {
  const { page } = await open(url);
  const link = page.locator(selector).first();
  const href = (await link.count()) ? await link.getAttribute('href') : null;
  await close(page);
  return href;
}

/** Offers are few in the local demo data (and depend on the day): the
 * Boulanger search may list none, so other métiers with many offers are
 * tried around Lyon. */
const OFFER_SEARCHES = ['D1102', 'K2204', 'M1607', 'F1703', 'H2909', 'M1203', 'G1803'].map(
  (rome) => `/recherche?metier=${rome}&romes=${rome}&lieu=Lyon&latitude=45.758&longitude=4.835&insee=69123&radius=200`,
);

async function findDetailLinks() {
  if (details) return details;
  details = {
    formation: await firstLink(RESULTS_URL, '#resultats-formations li.lba-card a[href^="/formation/"]'),
    offre: await firstLink(RESULTS_URL, '#resultats-offres li.lba-card a[href^="/offre/"]'),
    entreprise: await firstLink(RESULTS_URL, '#resultats-entreprises li.lba-card a[href^="/entreprise/"]'),
  };
  for (const url of OFFER_SEARCHES) {
    if (details.offre) break;
    details.offre = await firstLink(url, '#resultats-offres li.lba-card a[href^="/offre/"]');
  }
  return details;
}

describe('autocomplete markup', () => {
  test('inputs become ARIA 1.2 comboboxes controlling a labelled listbox', async () => {
    const { page } = await open('/');
    for (const id of ['metier', 'lieu']) {
      const input = page.locator(`#${id}`);
      assert.equal(await input.getAttribute('role'), 'combobox');
      assert.equal(await input.getAttribute('aria-autocomplete'), 'list');
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      const listId = await input.getAttribute('aria-controls');
      const list = page.locator(`[id="${listId}"]`);
      assert.equal(await list.getAttribute('role'), 'listbox');
      assert.ok(await list.getAttribute('aria-labelledby') || await list.getAttribute('aria-label'));
    }
    await close(page);
  });
});

describe('search journey with the mouse', () => {
  test('métier and place suggestions, results with map markers, a course and back', async () => {
    const { page } = await open('/');
    await page.locator('#metier').click();
    await page.locator('#metier').pressSequentially('boul', { delay: 40 });
    const metier = page.getByRole('option', { name: METIER_OPTION }).first();
    await metier.waitFor();
    assert.equal(await page.locator('#metier').getAttribute('aria-expanded'), 'true');
    await assert.doesNotReject(
      page.waitForFunction(() => /\d+ suggestions? disponibles?/.test(document.querySelector('.lba-ac-status')?.textContent ?? '')),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'autocomplete-1280.png') });
    await metier.click();
    assert.match(await page.inputValue('#metier'), METIER_OPTION);
    assert.match(await page.inputValue('#romes'), /\bD1102\b/);
    assert.equal(await page.locator('#metier').getAttribute('aria-expanded'), 'false');

    await page.locator('#lieu').click();
    await page.locator('#lieu').pressSequentially('Lyon', { delay: 40 });
    const lyon = page.getByRole('option', { name: LYON_OPTION }).first();
    await lyon.waitFor();
    await lyon.click();
    assert.match(await page.inputValue('#lieu'), LYON_OPTION);
    assert.match(await page.inputValue('#latitude'), /^45\./);
    assert.match(await page.inputValue('#longitude'), /^4\./);
    assert.equal(await page.inputValue('#insee'), '69123');

    // Typing again forgets the chosen place.
    await page.locator('#lieu').press('End');
    await page.locator('#lieu').press('Backspace');
    assert.equal(await page.inputValue('#latitude'), '');
    await page.locator('#lieu').pressSequentially(')', { delay: 40 });
    await page.getByRole('option', { name: LYON_OPTION }).first().click();
    assert.match(await page.inputValue('#latitude'), /^45\./);

    await Promise.all([page.waitForURL(/\/recherche\?/), submitButton(page).click()]);
    const cards = page.locator('li.lba-card');
    await cards.first().waitFor();
    assert.ok(await page.locator('#resultats-formations li.lba-card').count() > 0, 'course cards');
    await page.locator('#carte .leaflet-interactive').first().waitFor();
    assert.ok(await page.locator('#carte .leaflet-interactive').count() > 0, 'map markers');
    assert.equal(await page.locator('#carte').getAttribute('role'), 'region');
    assert.ok(await page.locator('#carte').getAttribute('aria-label'));

    // A marker's popup links to its detail page.
    await page.locator('#carte .leaflet-interactive').first().click({ force: true });
    await page.locator('#carte .leaflet-popup-content a').first().waitFor();

    const resultsUrl = page.url();
    const course = page.locator('#resultats-formations li.lba-card a[href^="/formation/"]').first();
    await Promise.all([page.waitForURL(/\/formation\//), course.click()]);
    assert.ok(await page.locator('h1').count() > 0);
    await page.goBack();
    await page.waitForURL(resultsUrl);
    await cards.first().waitFor();
    await close(page);
  });
});

describe('search journey with the keyboard only', () => {
  test('Tab, arrows and Enter from the home page to a course', async () => {
    const { page } = await open('/');
    await tabTo(page, () => document.activeElement?.id === 'metier');
    await page.keyboard.type('boul', { delay: 40 });
    await page.locator('#metier-listbox [role="option"]').first().waitFor();
    let found = false;
    for (let i = 0; i < 10 && !found; i += 1) {
      await page.keyboard.press('ArrowDown');
      found = METIER_OPTION.test((await activeOptionText(page, '#metier')) ?? '');
    }
    assert.ok(found, 'ArrowDown reaches "Boulanger / Boulangère"');
    const active = await page.locator('#metier').getAttribute('aria-activedescendant');
    assert.equal(await page.locator(`[id="${active}"]`).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).pathname, '/', 'Enter in an open list does not submit');
    assert.match(await page.inputValue('#metier'), METIER_OPTION);
    assert.match(await page.inputValue('#romes'), /\bD1102\b/);

    // Escape closes an open list.
    await page.keyboard.type(' ', { delay: 40 });
    await page.keyboard.press('Backspace');
    await page.locator('#metier-listbox [role="option"]').first().waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#metier').getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    // Typing again cleared the codes; choose again.
    await page.keyboard.press('ArrowDown');
    found = false;
    for (let i = 0; i < 10 && !found; i += 1) {
      found = METIER_OPTION.test((await activeOptionText(page, '#metier')) ?? '');
      if (!found) await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    assert.match(await page.inputValue('#romes'), /\bD1102\b/);

    await tabTo(page, () => document.activeElement?.id === 'lieu');
    await page.keyboard.type('Lyon', { delay: 40 });
    await page.locator('#lieu-listbox [role="option"]').first().waitFor();
    found = false;
    for (let i = 0; i < 10 && !found; i += 1) {
      await page.keyboard.press('ArrowDown');
      found = LYON_OPTION.test((await activeOptionText(page, '#lieu')) ?? '');
    }
    assert.ok(found, 'ArrowDown reaches Lyon');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#insee'), '69123');

    // The list is closed now: Enter submits the form.
    await Promise.all([page.waitForURL(/\/recherche\?/), page.keyboard.press('Enter')]);
    await page.locator('#resultats-formations li.lba-card').first().waitFor();
    await tabTo(
      page,
      () => document.activeElement?.matches?.('#resultats-formations li.lba-card a[href^="/formation/"]') ?? false,
      250,
    );
    await Promise.all([page.waitForURL(/\/formation\//), page.keyboard.press('Enter')]);
    await close(page);
  });
});

describe('API documentation', () => {
  test('Swagger UI renders under the Content-Security-Policy, from the app alone', async () => {
    const { page, response } = await open('/api/docs/');
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    await page.locator('.opblock-tag').first().waitFor();
    assert.ok((await page.locator('.opblock').count()) > 5, 'the operations are listed');
    await close(page);
  });

  test('pages cannot be framed by another site', async () => {
    const { page, response } = await open('/');
    assert.match(response.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(response.headers()['x-frame-options'], 'DENY');
    await close(page);
  });
});

describe('accessibility (axe-core)', () => {
  const pages = [
    ['home', async () => '/'],
    ['results', async () => RESULTS_URL],
    ['formation', async () => (await findDetailLinks()).formation],
    ['offre', async () => (await findDetailLinks()).offre],
    ['entreprise', async () => (await findDetailLinks()).entreprise],
    ['métier', async () => '/metier/D1102'],
    ['404', async () => '/cette-page-nexiste-pas'],
  ];
  for (const [name, path] of pages) {
    test(`${name}: no serious or critical violation`, async (t) => {
      const url = await path();
      if (!url) {
        t.skip(`no ${name} link on any results page (no such demo record near Lyon today)`);
        return;
      }
      const { page, response } = await open(url);
      assert.equal(response.status(), name === '404' ? 404 : 200, url);
      if (name === 'results') await page.locator('#carte .leaflet-interactive').first().waitFor();
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
      for (const v of violations) t.diagnostic(`${url} [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.join(' | ')}`);
      if (violations.length) console.log(`axe on ${url}:`, JSON.stringify(violations, null, 2));
      const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(blocking, [], `serious or critical axe violations on ${url}`);
      await close(page);
    });
  }
});

describe('responsive layout', () => {
  test('no sideways scrolling at 320 px', async () => {
    for (const url of ['/', RESULTS_URL, (await findDetailLinks()).formation, '/metier/D1102']) {
      assert.ok(url);
      const { page } = await open(url, { width: 320, height: 640 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${url} at 320 px scrolls sideways by ${overflow} px`);
      await close(page);
    }
  });
});

describe('results map', () => {
  test('the départements outline the base layer, the radius is a circle around the place, nothing leaves the app', async () => {
    const { page } = await open(RESULTS_URL);
    await page.locator('#carte[data-outlines-ready]').waitFor({ timeout: 10000 });
    assert.equal(await page.locator('#carte').getAttribute('data-outlines-ready'), '96');
    const outlines = await page.locator('#carte path.lba-outline').count();
    assert.ok(outlines >= 90, `${outlines} département outlines drawn`);
    assert.equal(await page.locator('#carte path.lba-radius').count(), 1, 'the radius circle');
    assert.equal(await page.locator('#carte path.lba-center').count(), 1, 'the searched place');
    // The outlines lie under the markers.
    const order = await page.evaluate(() => {
      const paths = [...document.querySelectorAll('#carte path')];
      return {
        lastOutline: paths.map((p) => p.classList.contains('lba-outline')).lastIndexOf(true),
        firstMarker: paths.findIndex((p) => p.classList.contains('lba-marker')),
      };
    });
    assert.ok(order.firstMarker === -1 || order.lastOutline < order.firstMarker, JSON.stringify(order));
    assert.match(await page.locator('#carte-legende').textContent(), /rayon de recherche \(30 km\)/);
    await page.locator('#carte').screenshot({ path: join(ARTIFACTS, 'carte-1280.png') });
    await close(page);
  });
});

describe('results on a phone', () => {
  test('at 375 px the menu of result types stays on screen and each section is one tap away', async () => {
    const { page } = await open(RESULTS_URL, { width: 375, height: 700 });
    const menu = page.locator('#menu-resultats');
    // Far down the page, the menu is still at the top of the screen.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => window.scrollY > 1000);
    const stuck = await menu.boundingBox();
    assert.ok(stuck && Math.abs(stuck.y) < 2, `menu at ${stuck?.y}`);
    for (const [link, target] of [
      ['#compte-entreprises', '#titre-entreprises'],
      ['#compte-offres', '#titre-offres'],
      ['#lien-carte', '#carte'],
      ['#compte-formations', '#titre-formations'],
    ]) {
      await page.locator(link).click();
      await page.waitForFunction((id) => location.hash === '#' + id, target === '#carte' ? 'carte' : target.slice(7));
      const box = await page.locator(target).boundingBox();
      const bar = await menu.boundingBox();
      assert.ok(box && bar, target);
      assert.ok(box.y >= bar.y + bar.height - 2, `${target} at ${box.y} is under the menu (${bar.y + bar.height})`);
      assert.ok(box.y < 700, `${target} at ${box.y} is on screen`);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'resultats-menu-375.png') });
    await close(page);
  });
});

describe('screenshots', () => {
  for (const width of [375, 1280]) {
    test(`home, results and a course at ${width} px`, async () => {
      const shots = [
        ['home', '/'],
        ['results', RESULTS_URL],
        ['formation', (await findDetailLinks()).formation],
      ];
      for (const [name, url] of shots) {
        assert.ok(url, `${name} url`);
        const { page } = await open(url, { width, height: 900 });
        if (name === 'results') await page.locator('#carte .leaflet-interactive').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
        await close(page);
      }
    });
  }
});
