// Browser test of the contact request to a CFA (issue 17) against a real
// `lba serve` on the local demo: the form of a course page filled and sent
// with the keyboard only, the confirmation page, the two emails (to the CFA
// with its answer link, to the young person), the CFA's answer page opened
// from its email and answered, and the answer email; axe-core on each page.
// Run: LBA_BIN=…/lba node --test tests/browser/cfa_contact.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startServer, ARTIFACTS } from './support/server.mjs';
import { launchBrowser, newPage, axeCheck, tabTo } from './support/browser.mjs';
import { waitForMails } from './support/mail.mjs';

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

const focused = (id) => `document.activeElement && document.activeElement.id === '${id}'`;

/** A demo course near Lyon whose CFA receives requests. */
async function courseWithForm() {
  const html = await (await fetch(`${server.url}/recherche?metier=boulanger&romes=D1102&insee=69123&radius=60`)).text();
  const links = [...new Set([...html.matchAll(/href="(\/formation\/[^"#?]+)"/g)].map((m) => m[1]))];
  for (const link of links.slice(0, 40)) {
    const page = await (await fetch(server.url + link)).text();
    if (page.includes('id="contact-form"')) return link;
  }
  return null;
}

test('a request sent by keyboard, both emails, the CFA answers from its link', async (t) => {
  const link = await courseWithForm();
  assert.ok(link, 'a demo course near Lyon that receives requests');
  const page = await newPage(browser, server.url);
  await page.goto(link);
  await axeCheck(page, 'formation', t);

  const young = 'lea.clavier@example.org';
  await tabTo(page, focused('contact-firstname'), 250);
  await page.keyboard.type('Léa');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'contact-lastname');
  await page.keyboard.type('Clavier');
  await page.keyboard.press('Tab');
  await page.keyboard.type(young);
  await page.keyboard.press('Tab');
  await page.keyboard.type('06 12 34 56 78');
  await tabTo(page, focused('contact-motif-inscription'));
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await tabTo(page, focused('contact-message'));
  await page.keyboard.type('Bonjour, reste-t-il des places en septembre ?');
  await tabTo(page, focused('contact-consent'));
  await page.keyboard.press('Space');
  await tabTo(page, "document.activeElement && document.activeElement.type === 'submit' && document.activeElement.closest('#contact-form') !== null");
  await Promise.all([page.waitForURL(/\/contact\/envoye$/), page.keyboard.press('Enter')]);
  assert.equal((await page.locator('h1').textContent()).trim(), 'Demande envoyée');
  assert.doesNotMatch(page.url(), /clavier|example|0612/i, 'no personal data in the address');
  await axeCheck(page, 'demande envoyee', t);
  await page.context().close();

  // Two emails: the CFA's (with its answer link) and the confirmation.
  const [confirmation] = await waitForMails(server.mailDir, (m) => m.to.includes(young));
  assert.match(confirmation.text, /Ta demande au sujet de la formation/);
  const [toCfa] = await waitForMails(server.mailDir, (m) => !m.to.includes(young) && /Demande de contact/.test(m.subject));
  assert.match(toCfa.text, /Léa Clavier/);
  const url = /(https?:\/\/\S+\/rendez-vous\/[0-9a-f]+\/reponse\?exp=\d+&sig=[\w-]+)/.exec(toCfa.text)?.[1];
  assert.ok(url?.startsWith(server.url), `an answer link in ${toCfa.text}`);

  // The CFA answers from the link.
  const cfa = await newPage(browser, server.url);
  await cfa.goto(url);
  assert.match(await cfa.locator('#demande').textContent(), /Léa Clavier \(le jeune\)/);
  await axeCheck(cfa, 'reponse cfa', t);
  await cfa.locator('label[for=reponse-telephone]').click();
  assert.ok(await cfa.locator('#reponse-telephone').isChecked());
  await Promise.all([cfa.waitForLoadState('load'), cfa.locator('#envoyer').click()]);
  await cfa.locator('h1', { hasText: 'Réponse enregistrée' }).waitFor();
  await cfa.context().close();

  const [answer] = await waitForMails(server.mailDir, (m) => m.to.includes(young) && /ponse de/.test(m.subject));
  assert.match(answer.text, /dit t'avoir contacté par téléphone/);
});
