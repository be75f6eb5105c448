// Browser test of the pro space against a real `lba serve` on the local demo:
// a recruiter signs up with a webmail address (so the company waits for
// validation), signs in from the link of the .eml, posts an offer; an
// administrator attaches the company to an OPCO, which validates it; another
// browser session then finds the offer in search and applies to it with a CV;
// the recruiter sees the application, downloads the CV, extends the offer and
// closes it. axe on every pro page, the dashboard at 320 px.
// Run: node --test tests/browser/pro.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS } from './support/server.mjs';
import { launchBrowser, newPage, axeCheck } from './support/browser.mjs';
import { createAccount, newestLink, signIn } from './support/pro.mjs';
import { PDF } from './support/files.mjs';

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  createAccount(server, 'admin@exemple.fr', 'admin');
  createAccount(server, 'opco@exemple.fr', 'opco', 'OPCO EP');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A demo company near a big city: `{ siret, latitude, longitude }`. */
async function demoCompany() {
  for (const [lat, lon] of [[45.7676, 4.8357], [48.8566, 2.3522], [43.6045, 1.444], [47.2184, -1.5536]]) {
    const url = `${server.url}/api/v1/jobs?romes=D1102,D1106,G1603,H2909,I1604,M1607&latitude=${lat}&longitude=${lon}&radius=60&sources=lba`;
    const body = await (await fetch(url)).json();
    const c = body.lbaCompanies?.results?.[0];
    if (c) return { siret: c.id, latitude: c.place.latitude, longitude: c.place.longitude };
  }
  throw new Error('no demo company found');
}

async function matchaIds(company) {
  const url = `${server.url}/api/v1/jobs?romes=D1102&latitude=${company.latitude}&longitude=${company.longitude}&radius=10&sources=matcha`;
  const body = await (await fetch(url)).json();
  return (body.matchas?.results ?? []).map((o) => o.id);
}

test('a recruiter signs up, posts an offer, an OPCO validates it, it is found, extended and closed', async (t) => {
  const company = await demoCompany();
  const email = `recrutement.test.${Date.now()}@gmail.com`;

  // Sign up.
  const page = await newPage(browser, server.url);
  await page.goto('/pro/inscription/entreprise');
  await axeCheck(page, 'inscription entreprise', t);
  await page.fill('#siret', '12345678901234');
  await page.fill('#email', email);
  await page.fill('#first_name', 'Marie');
  await page.fill('#last_name', 'Durand');
  await page.fill('#phone', '06 01 02 03 04');
  await Promise.all([page.waitForLoadState('load'), page.click('#inscription button[type="submit"]')]);
  assert.match(await page.locator('#siret-error').textContent(), /SIRET n'est pas valide/);
  await axeCheck(page, 'inscription avec erreur', t);
  await page.fill('#siret', company.siret);
  await Promise.all([page.waitForLoadState('load'), page.click('#inscription button[type="submit"]')]);
  await page.locator('#compte-cree').waitFor();

  // Sign in from the email's link.
  const link = await newestLink(server, email, 0);
  await Promise.all([page.waitForURL(/\/pro$/), page.goto(link)]);
  assert.equal(await page.locator('#statut-entreprise').textContent(), 'En attente de validation');
  await axeCheck(page, 'tableau de bord', t);

  // Post an offer: errors next to the fields first.
  await page.goto('/pro/offres/nouvelle');
  await axeCheck(page, 'nouvelle offre', t);
  await Promise.all([page.waitForLoadState('load'), page.click('#offre button[type="submit"]')]);
  assert.ok(await page.locator('#metier-error').isVisible());
  assert.ok(await page.locator('#description-error').isVisible());
  await axeCheck(page, 'offre avec erreurs', t);
  await page.fill('#metier', 'boulanger');
  await page.fill('#title', 'Apprenti boulanger H/F');
  await page.fill('#duration_months', '24');
  await page.fill('#description', "Pétrissage, façonnage et cuisson : vous apprenez tout le métier avec notre équipe.");
  await page.fill('#question1', 'Pourquoi la boulangerie ?');
  await Promise.all([page.waitForURL(/\/pro\/offres\/[0-9a-f]+\?avis=en_attente$/), page.click('#offre button[type="submit"]')]);
  const offerId = /\/pro\/offres\/([0-9a-f]+)/.exec(page.url())[1];
  assert.equal(await page.locator('#statut').textContent(), 'En attente de validation');
  assert.deepEqual(await matchaIds(company).then((ids) => ids.includes(offerId)), false, 'not searchable yet');

  // The administrator attaches the company to its OPCO.
  const admin = await newPage(browser, server.url);
  await signIn(admin, server, 'admin@exemple.fr');
  await admin.goto('/pro/entreprises');
  await admin.fill(`#opco-${company.siret}`, 'OPCO EP');
  await Promise.all([
    admin.waitForURL(/avis=decision/),
    admin.locator(`#opco-${company.siret}`).locator('xpath=..').locator('button').click(),
  ]);
  await axeCheck(admin, 'entreprises (admin)', t);

  // The OPCO validates it.
  const opco = await newPage(browser, server.url);
  await signIn(opco, server, 'opco@exemple.fr');
  await opco.goto('/pro/entreprises');
  await axeCheck(opco, 'entreprises (OPCO)', t);
  const row = opco.locator('#entreprises tbody tr', { hasText: company.siret });
  await Promise.all([opco.waitForURL(/avis=decision/), row.locator('button[value=valider]').click()]);
  assert.match(await opco.locator('#entreprises tbody tr', { hasText: company.siret }).textContent(), /Validé/);

  // Another browser session finds the offer (within seconds).
  let found = false;
  for (let i = 0; i < 600 && !found; i += 1) {
    found = (await matchaIds(company)).includes(offerId);
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(found, 'the validated offer is searchable');
  const visitor = await newPage(browser, server.url);
  await visitor.goto(`/offre/${offerId}`);
  assert.match(await visitor.locator('h1').textContent(), /Apprenti boulanger H\/F/);
  // … and applies to it.
  await visitor.locator('a#action').click();
  await visitor.locator('#candidature').waitFor();
  await visitor.locator('#prenom').fill('Léa');
  await visitor.locator('#nom').fill('Martin');
  await visitor.locator('#email').fill('lea.martin@example.org');
  await visitor.locator('#telephone').fill('06 12 34 56 78');
  await visitor.locator('#message').fill('Bonjour, la boulangerie me passionne depuis toujours.');
  await visitor.locator('#cv').setInputFiles({ name: 'cv-lea.pdf', mimeType: 'application/pdf', buffer: PDF });
  await visitor.locator('#consentement').check({ force: true });
  await Promise.all([visitor.waitForURL(/\/candidature\/envoyee\?/), visitor.locator('#envoyer').click()]);
  await visitor.context().close();

  // The recruiter receives it in the offer's page, with the CV.
  await page.goto(`/pro/offres/${offerId}`);
  assert.equal(await page.locator('#liste-candidatures > li').count(), 1);
  assert.match(await page.locator('#liste-candidatures > li').textContent(), /Léa Martin/);
  const cvHref = await page.getByRole('link', { name: 'Télécharger le CV' }).getAttribute('href');
  const cv = await page.request.get(cvHref);
  assert.equal(cv.status(), 200);
  assert.deepEqual(Buffer.from(await cv.body()), PDF);

  // The recruiter extends, then closes it.
  await page.goto(`/pro/offres/${offerId}`);
  assert.equal(await page.locator('#statut').textContent(), 'Active');
  await axeCheck(page, 'offre', t);
  const expiry = await page.locator('#expiration').textContent();
  await Promise.all([page.waitForURL(/avis=prolongee/), page.click('#prolonger button')]);
  assert.notEqual(await page.locator('#expiration').textContent(), expiry);
  // check() clicks the radio and verifies it took: a bare click on its label
  // was once lost (the form then came back « Choix manquant »).
  await page.locator('#f-lba').check({ force: true });
  await Promise.all([page.waitForURL(/avis=fermee/), page.click('#fermer button')]);
  assert.equal(await page.locator('#statut').textContent(), 'Pourvue');
  assert.equal(await page.locator('#historique tbody tr').count(), 4);

  // The dashboard on a phone.
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto('/pro');
  await page.screenshot({ path: join(ARTIFACTS, 'pro-tableau-320.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 320 px`);
  await axeCheck(page, 'tableau de bord 320 px', t);

  // Logging out ends the session.
  await Promise.all([page.waitForURL(/\/pro\/connexion$/), page.locator('form[action="/pro/deconnexion"] button').click()]);
  await page.goto('/pro');
  assert.match(page.url(), /\/pro\/connexion$/);
});
