// Starts `lba serve` (target/debug/lba, or $LBA_BIN) on a free loopback port
// with a fresh temporary SQLite database. The first start imports the
// referentials from ../shared/data and generates the local demo data, which
// takes a while: we wait up to 120 s for /healthz.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ARTIFACTS = join(REPO, 'target/browser-artifacts');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts the server; resolves to `{ url, mailDir, stop() }` once /healthz answers 200. */
export async function startServer({ timeoutMs = 120_000 } = {}) {
  const bin = process.env.LBA_BIN ? resolve(process.env.LBA_BIN) : join(REPO, 'target/debug/lba');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run \`cargo build -p lba-cli\` first (or set LBA_BIN)`);
  const dataDir = process.env.LBA_DATA_DIR ? resolve(process.env.LBA_DATA_DIR) : resolve(REPO, '../shared/data');
  const work = mkdtempSync(join(tmpdir(), 'lba-browser-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Emails are written as .eml files to `mailDir`, with links back to
  // this server; the worker inside `lba serve` polls often.
  const mailDir = join(work, 'mail');
  const child = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`], {
    cwd: work,
    env: {
      ...process.env,
      LBA_DATABASE_URL: join(work, 'lba.db'),
      LBA_DATA_DIR: dataDir,
      LBA_LOG: process.env.LBA_LOG || 'warn',
      LBA_MAIL_DIR: mailDir,
      LBA_PUBLIC_URL: url,
      LBA_WORKER_POLL_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-8000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i += 1) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(work, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      await stop();
      throw new Error(`lba serve exited (${JSON.stringify(exited)}) before /healthz answered:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return { url, mailDir, stop, output: () => output, bin, work, database: join(work, 'lba.db') };
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`lba serve did not answer /healthz within ${timeoutMs / 1000} s:\n${output}`);
}
