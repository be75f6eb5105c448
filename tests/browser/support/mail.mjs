// Reads the .eml files that `lba serve` writes when no SMTP server is set
// (LBA_MAIL_DIR), crudely but enough for the tests: recipients, decoded
// subject, decoded text part, attachments.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** RFC 2047 encoded words (=?utf-8?b?…?= / =?utf-8?q?…?=) → text. */
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset, kind, data) => (
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' '))
    ));
}

function decodeQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i += 1) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers of a block (folded lines joined), lower-cased names. */
function headers(block) {
  const out = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return out;
}

function decodeBody(body, encoding = '') {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable': return decodeQuotedPrintable(body);
    case 'base64': return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default: return body;
  }
}

/** One parsed message. */
export function parseMail(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const top = headers(raw.slice(0, split));
  // Every leaf part: its headers and body.
  // (split on the declared boundaries only: a text may hold "-- " lines).
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((m) => m[1]);
  const escape = (b) => b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const splitter = new RegExp(`\\r?\\n--(?:${boundaries.map(escape).join('|')})(?:--)?[ \\t]*(?:\\r?\\n|$)`);
  const parts = boundaries.length === 0 ? [] : raw.split(splitter).slice(1).map((part) => {
    const end = part.search(/\r?\n\r?\n/);
    if (end < 0) return { headers: {}, body: '' };
    return { headers: headers(part.slice(0, end)), body: part.slice(end).replace(/^\r?\n\r?\n/, '') };
  });
  const textPart = parts.find((p) => (p.headers['content-type'] || '').startsWith('text/plain'));
  const attachments = parts
    .filter((p) => /attachment/i.test(p.headers['content-disposition'] || ''))
    .map((p) => ({
      type: (p.headers['content-type'] || '').split(';')[0],
      filename: decodeWords(/filename="?([^";]+)"?/.exec(p.headers['content-disposition'])?.[1] ?? ''),
      body: p.body,
      encoding: p.headers['content-transfer-encoding'] || '',
    }));
  return {
    raw,
    to: top.to || '',
    subject: decodeWords(top.subject || ''),
    text: textPart ? decodeBody(textPart.body, textPart.headers['content-transfer-encoding']) : '',
    attachments,
  };
}

/** Every message in `dir`. */
export function readMails(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => ({ file: f, ...parseMail(readFileSync(join(dir, f), 'utf8')) }));
}

/**
 * Waits (up to `timeoutMs`) until `count` messages match `predicate`;
 * resolves to them.
 */
export async function waitForMails(dir, predicate, { count = 1, timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readMails(dir).filter(predicate);
    if (found.length >= count) return found;
    if (Date.now() > deadline) {
      const all = readMails(dir).map((m) => `${m.to} | ${m.subject}`);
      throw new Error(`${found.length}/${count} expected emails after ${timeoutMs / 1000} s; in ${dir}: ${JSON.stringify(all)}`);
    }
    await sleep(200);
  }
}
