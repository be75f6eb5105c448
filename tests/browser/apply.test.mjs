// The application journey in a browser against a real `lba serve` on the
// local demo data: apply from an offer page and from a company page
// (candidature spontanée) with a small PDF, see the confirmation page, find
// the recruiter's email (with the CV) and the candidate's in the mail
// folder (the worker runs inside `lba serve`), then follow the recruiter's
// "Proposer un entretien" link and check that the candidate gets the
// answer. Run: node --test tests/browser/
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS } from './support/server.mjs';
import { launchBrowser, newPage } from './support/browser.mjs';
import { waitForMails } from './support/mail.mjs';
import { PDF } from './support/files.mjs';


/** Searches around Lyon with many demo offers and companies. */
const SEARCHES = ['D1102', 'K2204', 'M1607', 'F1703', 'H2909', 'M1203', 'G1803', 'D1106', 'M1805'].map(
  (rome) => `/recherche?metier=${rome}&romes=${rome}&lieu=Lyon&latitude=45.758&longitude=4.835&insee=69123&radius=200`,
);

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
 * The first detail page (`/offre/…` or `/entreprise/…`) of the demo that
 * shows the application form; found over plain HTTP.
 */
const found = {};
async function pageWithForm(kind) {
  if (found[kind]) return found[kind];
  const seen = new Set();
  for (const search of SEARCHES) {
    const html = await (await fetch(server.url + search)).text();
    // Company cards carry the métier searched (`?metier=D1102`).
    const links = [...html.matchAll(new RegExp(`href="(/${kind}/[^"#?]+(?:\\?[^"#]*)?)"`, 'g'))].map((m) => m[1].replaceAll('&amp;', '&'));
    for (const link of links) {
      if (seen.has(link)) continue;
      seen.add(link);
      const page = await (await fetch(server.url + link)).text();
      if (page.includes('id="candidature"')) {
        found[kind] = link;
        return link;
      }
      if (seen.size > 80) break;
    }
  }
  return null;
}

async function fillAndSend(page, candidate, cvName) {
  await page.locator('#prenom').fill('Camille');
  await page.locator('#nom').fill("D'Arcy-Lefèvre");
  await page.locator('#email').fill(candidate);
  await page.locator('#telephone').fill('06 12 34 56 78');
  await page.locator('#message').fill('Bonjour, votre entreprise m\'intéresse pour mon alternance.');
  // The counter (progressive enhancement) follows the message.
  assert.match(await page.locator('#message-compteur').textContent(), /^\d+ \/ 3000 caractères/);
  await page.locator('#cv').setInputFiles({ name: cvName, mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#consentement').check({ force: true });
  await Promise.all([
    page.waitForURL(/\/candidature\/envoyee\?/),
    page.locator('#envoyer').click(),
  ]);
}

async function closePage(page) {
  assert.deepEqual(page.problems.errors, [], 'no script error');
  assert.deepEqual(page.problems.foreign, [], 'no request outside the app');
  assert.deepEqual(page.problems.missingAssets, [], 'every /assets/ file loads');
  assert.deepEqual(page.problems.csp, [], 'nothing blocked by the Content-Security-Policy');
  await page.context().close();
}

/** Checks the mails of one application; returns the recruiter's. */
async function checkMails(candidate, cvName) {
  // The recruiter's email, with the CV attached, replying to the candidate.
  const [recruiter] = await waitForMails(
    server.mailDir,
    (m) => m.raw.includes(`Reply-To: ${candidate}`),
  );
  assert.notEqual(recruiter.to, candidate);
  assert.match(recruiter.to, /@exemple\.fr>?$/, 'the demo recruiter');
  const cv = recruiter.attachments.find((a) => a.type === 'application/pdf');
  assert.ok(cv, `a PDF attachment in ${recruiter.file}`);
  assert.equal(cv.filename, cvName);
  assert.match(recruiter.text, /Camille/);
  assert.match(recruiter.text, /Proposer un entretien/);
  // The candidate's confirmation.
  const [confirmation] = await waitForMails(server.mailDir, (m) => m.to.includes(candidate));
  assert.match(confirmation.subject, /a bien été envoyée/);
  assert.match(confirmation.text, /\/candidature\/[0-9a-f]+\/suppression\?exp=/, 'the deletion link');
  return recruiter;
}

describe('apply from the demo pages', () => {
  test('from an offer page: form, confirmation page, both emails, the recruiter proposes an interview', async () => {
    const link = await pageWithForm('offre');
    assert.ok(link, 'a demo offer that takes applications near Lyon');
    const page = await newPage(browser, server.url);
    await page.goto(link);
    // The action button leads to the form.
    await page.locator('a#action').click();
    await page.locator('#candidature').waitFor();
    const candidate = 'camille.offre@example.org';
    await fillAndSend(page, candidate, 'CV Camille.pdf');
    assert.equal(await page.locator('h1').textContent(), 'Candidature envoyée');
    assert.match(await page.locator('#resume').textContent(), /Votre candidature à l'offre « .+ » de .+ est enregistrée\./);
    assert.doesNotMatch(page.url(), /camille|example|0612/i, 'no personal data in the address');
    await page.screenshot({ path: join(ARTIFACTS, 'candidature-envoyee-1280.png'), fullPage: true });
    await closePage(page);

    const recruiter = await checkMails(candidate, 'CV_Camille.pdf');

    // The recruiter follows "Proposer un entretien" and confirms.
    const url = /(https?:\/\/\S+\/candidature\/[0-9a-f]+\/reponse\?action=interview&exp=\d+&sig=[\w-]+)/.exec(recruiter.text)?.[1];
    assert.ok(url, `an interview link in ${recruiter.text}`);
    assert.ok(url.startsWith(server.url), `${url} points to this server`);
    const answer = await newPage(browser, server.url);
    await answer.goto(url);
    assert.equal(await answer.locator('h1').textContent(), 'Proposer un entretien');
    // Opening the link answers nothing: only the confirmation below does
    // (a POST carrying the page's CSRF token, from the lba_csrf cookie).
    assert.match(await answer.locator('.fr-alert').textContent(), /Rien n'est envoyé au candidat/);
    assert.equal(await answer.locator('form#reponse input[type=hidden][name=csrf]').count(), 1);
    await answer.locator('#message').fill('Venez nous voir mardi à 10 h.');
    await Promise.all([
      answer.waitForLoadState('load'),
      answer.getByRole('button', { name: 'Confirmer et envoyer' }).click(),
    ]);
    await answer.locator('h1', { hasText: 'Réponse envoyée' }).waitFor();
    await closePage(answer);

    const [proposal] = await waitForMails(
      server.mailDir,
      (m) => m.to.includes(candidate) && /vous propose un entretien/.test(m.subject),
    );
    assert.match(proposal.text, /Venez nous voir mardi à 10 h\./);
  });

  test('from a company page: a spontaneous application, its confirmation and both emails', async () => {
    const link = await pageWithForm('entreprise');
    assert.ok(link, 'a demo company with an email near Lyon');
    const page = await newPage(browser, server.url, { width: 375, height: 800 });
    await page.goto(`${link}#postuler`);
    assert.equal(await page.locator('#postuler-titre').textContent(), 'Envoyer une candidature spontanée');

    // A server-side refusal first: the file is not a PDF whatever its name.
    await page.locator('#prenom').fill('Camille');
    await page.locator('#nom').fill('Durand');
    await page.locator('#email').fill('camille.entreprise@example.org');
    await page.locator('#telephone').fill('0612345678');
    await page.locator('#cv').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') });
    await page.locator('#consentement').check({ force: true });
    await Promise.all([page.waitForLoadState('load'), page.locator('#envoyer').click()]);
    await page.locator('#cv-error').waitFor();
    assert.match(await page.locator('#cv-error').textContent(), /PDF ou un document Word/);
    assert.equal(await page.inputValue('#email'), 'camille.entreprise@example.org', 'what was typed is kept');
    await page.screenshot({ path: join(ARTIFACTS, 'candidature-erreur-375.png'), fullPage: true });

    await fillAndSend(page, 'camille.entreprise@example.org', 'cv.pdf');
    assert.match(await page.locator('#resume').textContent(), /Votre candidature spontanée à .+ est enregistrée\./);
    await closePage(page);
    await checkMails('camille.entreprise@example.org', 'cv.pdf');
  });

  test('without JavaScript: a CV over 3 MB gets the page again with the message next to the CV field', async () => {
    const link = await pageWithForm('offre');
    assert.ok(link);
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(link);
    await page.locator('#prenom').fill('Camille');
    await page.locator('#nom').fill('Durand');
    await page.locator('#email').fill('camille.lourd@example.org');
    await page.locator('#telephone').fill('0612345678');
    const big = Buffer.concat([PDF, Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    await page.locator('#cv').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: big });
    await page.locator('#consentement').check({ force: true });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('#envoyer').click(),
    ]);
    assert.equal(response.status(), 413);
    await page.locator('#cv-error').waitFor();
    assert.match(await page.locator('#cv-error').textContent(), /dépasse 3 Mo/);
    assert.equal(await page.inputValue('#email'), 'camille.lourd@example.org', 'what was typed is kept');
    await context.close();
  });
});
