// Signing in to the pro space in browser tests, the way people do: the
// form at /pro/connexion, then the link of the email that `lba serve`
// writes to its mail directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { readMails, waitForMails } from './mail.mjs';

const isLinkMail = (email) => (m) => m.to.includes(email) && /lien de connexion/.test(m.subject);

/** Runs `lba admin create` against the server's database. */
export function createAccount(server, email, role = 'admin', opco) {
  const args = ['admin', 'create', '--email', email, '--role', role, ...(opco ? ['--opco', opco] : [])];
  const run = spawnSync(server.bin, args, {
    cwd: server.work,
    env: { ...process.env, LBA_DATABASE_URL: server.database, LBA_LOG: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `lba ${args.join(' ')}:\n${run.stdout}\n${run.stderr}`);
}

/** The sign-in link of the newest email to `email`, once it arrives after `before` earlier ones. */
export async function newestLink(server, email, before) {
  const mails = await waitForMails(server.mailDir, isLinkMail(email), { count: before + 1 });
  const text = mails.map((m) => m.text).find((t) => !readLinks.has(t)) ?? mails[mails.length - 1].text;
  readLinks.add(text);
  const url = /(https?:\/\/\S+\/pro\/connexion\/lien\?id=[0-9a-f]+&exp=\d+&sig=[\w-]+)/.exec(text)?.[1];
  assert.ok(url?.startsWith(server.url), `a sign-in link in ${text}`);
  return url;
}
const readLinks = new Set();

/** How many sign-in emails `email` received so far. */
export function linkCount(server, email) {
  return readMails(server.mailDir).filter(isLinkMail(email)).length;
}

/** Asks for a link on /pro/connexion and opens it from the email. */
export async function signIn(page, server, email) {
  const before = linkCount(server, email);
  await page.goto('/pro/connexion');
  await page.fill('#email', email);
  await Promise.all([page.waitForLoadState('load'), page.click('#connexion button[type="submit"]')]);
  await page.locator('#lien-envoye').waitFor();
  const url = await newestLink(server, email, before);
  await Promise.all([page.waitForURL(/\/pro$/), page.goto(url)]);
}

/** An administrator account and its session in `page`. */
export async function signInAsAdmin(page, server, email = 'admin@exemple.fr') {
  if (linkCount(server, email) === 0 && !createdAdmins.has(email)) {
    createAccount(server, email, 'admin');
    createdAdmins.add(email);
  }
  await signIn(page, server, email);
}
const createdAdmins = new Set();
