import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { embeddedDataDir } from '../../src/db/embedded-layout.js';
import { afterAll, expect, it } from 'vitest';
import { openTestDatabase, testServerUrl, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/fault-servers.js';

const IN_FLIGHT = 48;
const dataDir = mkdtempSync(join(tmpdir(), 'mg-shutdown-'));
const databases: TestDatabase[] = [];
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
  await Promise.all(databases.map((db) => db.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

type Outcome = { email: string; status?: number; body?: any; error?: string };

/** One POST on its own connection (no keep-alive), so a reset connection shows up as an error. */
function register(port: number, email: string, onSent: () => void): Promise<Outcome> {
  const body = JSON.stringify({
    query: 'mutation($input: RegisterInput!) { register(input: $input) { user { email } } }',
    variables: { input: { email, password: 'correct horse battery staple', fullName: 'Drain' } },
  });
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ email, status: res.statusCode, body: JSON.parse(text) }));
      res.on('error', (error) => resolve({ email, error: error.message }));
    });
    req.on('error', (error) => resolve({ email, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end(body, onSent);
  });
}

function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/livez', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    })
      .on('error', reject)
      .end();
  });
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

it('on SIGTERM drains in-flight registrations: every accepted request is answered and every 2xx is committed', async () => {
  const onServer = testServerUrl('user') !== undefined;
  let env: Record<string, string> = { DATA_DIR: dataDir, STOCK_DATABASE_URL: '', USER_DATABASE_URL: '' };
  if (onServer) {
    const [stock, user] = await Promise.all([openTestDatabase('stock'), openTestDatabase('user')]);
    databases.push(stock, user);
    env = { ...env, STOCK_DATABASE_URL: stock.url!, USER_DATABASE_URL: user.url! };
  }
  const port = await freePort();
  child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: '', SEED_ON_START: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'info', PASSWORD_HASH_COST: '15', SHUTDOWN_GRACE_MS: '20000' },
    stdio: ['ignore', 'pipe', 'inherit'],
    // npm does not pass signals on: the test signals the whole process group, as an orchestrator would.
    detached: true,
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 'the server to be ready');

  // Each scrypt hash takes ~0.1 s on a 4-thread pool: dozens of registrations are in flight for a while.
  const prefix = `drain-${randomBytes(3).toString('hex')}`;
  let sent = 0;
  const outcomes = Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => register(port, `${prefix}-${i}@example.com`, () => (sent += 1))));
  await waitUntil(async () => sent === IN_FLIGHT, 'every request to be written');
  // The kernel queues connections until the server accepts them, in order: once a probe on a new
  // connection (not fetch's pooled one) is answered, the server has accepted every request above.
  expect(await probe(port)).toBe(200);
  process.kill(-child.pid!, 'SIGTERM');

  const results = await outcomes;
  await waitUntil(async () => !groupAlive(child!.pid!), 'every process of npm start to exit');
  expect(log).toContain('stopped cleanly');
  const failed = results.filter((result) => result.error !== undefined);
  expect(failed, log).toEqual([]);
  const ok = results.filter((result) => result.status === 200 && result.body?.data?.register);
  // The grace is long enough for all of them: none was cut.
  expect(ok).toHaveLength(IN_FLIGHT);

  const emails = ok.map((result) => result.email);
  let stored: string[];
  if (onServer) {
    stored = (await databases[1]!.sql.query<{ email: string }>(`SELECT email FROM account WHERE email LIKE $1`, [`${prefix}-%`])).map((row) => row.email);
  } else {
    // The embedded default: the user database is the schema user_data of the one instance in DATA_DIR/pglite.
    const db = await PGlite.create(embeddedDataDir(dataDir));
    stored = (await db.query<{ email: string }>(`SELECT email FROM user_data.account WHERE email LIKE $1`, [`${prefix}-%`])).rows.map((row) => row.email);
    await db.close();
  }
  expect(stored.sort()).toEqual(emails.sort());
}, 120_000);
