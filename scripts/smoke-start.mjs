// Smoke test of `npm start` on the embedded default, as a newcomer would run it:
// start on a fresh DATA_DIR, query, stop, start again, and check the data is
// still there and was not seeded twice. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = process.env.SMOKE_PORT ?? '4321';
const BASE = `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(join(tmpdir(), 'marketgraph-smoke-'));
// History older than a week: the live jobs (on by default) change today's candles and quotes, never these.
const WEEK_AGO = new Date(Date.now() - 7 * 86_400_000).toISOString();
const QUERY = `{ stock(symbol: "AAPL") { name quote { price } candles(to: "${WEEK_AGO}", last: 5) { timestamp close } } stocks(first: 1) { totalCount } }`;
const USER = { email: 'smoke@example.com', password: 'smoke test password', fullName: 'Smoke' };

function startServer() {
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, PORT, HOST: '127.0.0.1', DATA_DIR: dataDir, STOCK_DATABASE_URL: '', USER_DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitForHealth(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${BASE}/healthz`);
      if (response.ok) return response.json();
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms`);
}

async function query(text = QUERY, variables = {}, token) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${BASE}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: text, variables }) });
  const body = await response.json();
  if (response.status !== 200 || body.errors) throw new Error(`query failed: ${response.status} ${JSON.stringify(body)}`);
  return body.data;
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole process group (npm does not pass signals on); resolves once every process is gone. */
async function stop(server) {
  process.kill(-server.child.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (groupAlive(server.child.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return { gone: !groupAlive(server.child.pid), clean: /"msg":"stopped cleanly"/.test(server.output()) };
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok - ${message}`);
}

let server;
try {
  const started = Date.now();
  server = startServer();
  const health = await waitForHealth(180_000);
  console.log(`first start healthy in ${Date.now() - started} ms: ${JSON.stringify(health)}`);
  const first = await query();
  check(first.stock?.name === 'Apple Inc.' && first.stock.quote?.price > 0, 'first start serves seeded AAPL with a quote');
  check(first.stock.candles.length === 5 && first.stocks.totalCount >= 60, 'first start has candles and at least 60 stocks');
  const { register } = await query('mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: USER });
  await query('mutation { createCollection(input: { name: "Smoke", symbols: ["AAPL", "MSFT"] }) { id } }', {}, register.accessToken);
  check(true, 'first start registers a user and saves a watchlist');
  check(/seeded the stock database/.test(server.output()), 'first start seeded the empty database');
  const firstStop = await stop(server);
  check(firstStop.gone && firstStop.clean, 'SIGTERM stops the server cleanly, databases closed');

  server = startServer();
  await waitForHealth(120_000);
  const second = await query();
  check(JSON.stringify(second.stock.candles) === JSON.stringify(first.stock.candles) && second.stocks.totalCount === first.stocks.totalCount, 'second start on the same .data serves the same market data');
  const { login } = await query('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: USER.email, p: USER.password });
  const { collections } = await query('{ collections { name stocks { symbol } } }', {}, login.accessToken);
  check(JSON.stringify(collections) === JSON.stringify([{ name: 'Smoke', stocks: [{ symbol: 'AAPL' }, { symbol: 'MSFT' }] }]), 'second start still has the user and the watchlist');
  check(!/seeding it/.test(server.output()), 'second start did not reseed');
  const secondStop = await stop(server);
  check(secondStop.gone && secondStop.clean, 'second stop is clean');
  server = undefined;
  console.log('smoke test passed');
} catch (error) {
  console.error(`smoke test FAILED: ${error.message}`);
  if (server) {
    console.error(server.output().slice(-4000));
    try {
      process.kill(-server.child.pid, 'SIGKILL');
    } catch {}
  }
  process.exitCode = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
