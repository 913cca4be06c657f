// Issue 14 part 5: three API processes and two job workers as separate OS processes (`src/main.ts`,
// `src/worker.ts`, as `npm start` and `npm run worker` run them) on one Redis and the two PostgreSQL databases.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openBareTestDatabase, testServerUrl, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/fault-servers.js';
import { requireServer, testRedisUrl } from '../support/servers.js';

const redisUrl = testRedisUrl();
const onServers = !!testServerUrl('stock') && !!testServerUrl('user') && !!redisUrl;
requireServer('postgres', !!testServerUrl('stock'));
requireServer('redis', !!redisUrl);

const ROOT = new URL('../..', import.meta.url).pathname;
const prefix = `mgtest:${randomBytes(4).toString('hex')}:`;
/** Per anonymous IP and hour, in cost units: RATE_LIMIT_ANONYMOUS_PER_HOUR × RATE_LIMIT_AVERAGE_COST. */
const BUDGET = 6 * 10;

interface Started { child: ChildProcess; url: string; output: string[] }
const processes: Started[] = [];
let stock: TestDatabase;
let user: TestDatabase;

function environment(port: number, jobs: boolean): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    STOCK_DATABASE_URL: stock.url,
    USER_DATABASE_URL: user.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    JOBS_ENABLED: String(jobs),
    MARKET_TICK_SECONDS: '1',
    INDICATOR_HISTORY_ON_START: 'false',
    INSIGHTS_ON_START: 'false',
    PASSWORD_HASH_COST: '12',
    RATE_LIMIT_ANONYMOUS_PER_HOUR: '6',
    RATE_LIMIT_AVERAGE_COST: '10',
    WS_MAX_SOCKETS_PER_IP: '100',
  };
}

async function start(entry: 'src/main.ts' | 'src/worker.ts', jobs: boolean): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: environment(port, jobs), stdio: ['ignore', 'pipe', 'pipe'] });
  const started: Started = { child, url: `http://127.0.0.1:${port}/graphql`, output: [] };
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => started.output.push(chunk.toString()));
  processes.push(started);
  if (entry === 'src/worker.ts') return started;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${started.output.join('')}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) return started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${entry} was not ready in 90 s:\n${started.output.join('')}`);
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe.skipIf(!onServers)('three API processes and two workers (needs real PostgreSQL and Redis)', () => {
  let apis: Started[];

  beforeAll(async () => {
    [stock, user] = await Promise.all([openBareTestDatabase('stock'), openBareTestDatabase('user')]);
    // The first migrates and seeds; the others then start side by side, as a rolling deploy would.
    const first = await start('src/main.ts', false);
    apis = [first, ...(await Promise.all([start('src/main.ts', false), start('src/main.ts', false)]))];
    await Promise.all([start('src/worker.ts', true), start('src/worker.ts', true)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      processes.map(({ child }) => (child.exitCode !== null ? undefined : new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))))),
    );
    const redis = new Redis(redisUrl!);
    // The queues' keys sit under their hash tag, {<prefix>queues}.
    const keys = [...(await redis.keys(`${prefix}*`)), ...(await redis.keys(`{${prefix}queues}*`))];
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await Promise.all([stock?.close(), user?.close()]);
  }, 60_000);

  it('delivers every tick to subscribers on every API process exactly once, and each quotes tick runs once', async () => {
    // The workers have no readiness endpoint: they are running once their first quotes tick reached the stream.
    const redis = new Redis(redisUrl!);
    const streamDeadline = Date.now() + 60_000;
    while ((await redis.xlen(`${prefix}ticks`)) === 0 && Date.now() < streamDeadline) await new Promise((resolve) => setTimeout(resolve, 250));
    const received = apis.map(() => [] as string[]);
    const clients = apis.map(({ url }) => createClient({ url: url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 }));
    const stops = clients.map((client, i) =>
      client.subscribe<{ priceUpdated: { timestamp: string } }>(
        { query: 'subscription { priceUpdated(symbols: ["AAPL"]) { symbol price timestamp } }' },
        { next: ({ data }) => void received[i]!.push(data!.priceUpdated.timestamp), error: () => undefined, complete: () => undefined },
      ),
    );
    // MARKET_TICK_SECONDS=1: wait for a few ticks on every process (longer when the machine is busy), then a margin.
    const ticksDeadline = Date.now() + 60_000;
    while (received.some((ticks) => ticks.length < 4) && Date.now() < ticksDeadline) await new Promise((resolve) => setTimeout(resolve, 250));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stops.forEach((stop) => stop());
    await Promise.all(clients.map((client) => client.dispose()));

    for (const ticks of received) {
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      // Exactly once: strictly increasing timestamps, no tick twice.
      for (let i = 1; i < ticks.length; i += 1) expect(Date.parse(ticks[i]!)).toBeGreaterThan(Date.parse(ticks[i - 1]!));
    }
    // Every process delivered the same ticks (after the latest subscriber's first value).
    // Compared between the latest first value and the earliest last one: the streams were closed one after another.
    const since = Math.max(...received.map((ticks) => Date.parse(ticks[0]!)));
    const until = Math.min(...received.map((ticks) => Date.parse(ticks.at(-1)!)));
    const after = received.map((ticks) => ticks.filter((ts) => Date.parse(ts) > since && Date.parse(ts) <= until));
    expect(after[0]!.length).toBeGreaterThanOrEqual(1);
    expect(after[1]).toEqual(after[0]);
    expect(after[2]).toEqual(after[0]);

    // The durable stream holds what the quotes job ingested: with two workers, never two runs in one cron second.
    const entries = await redis.xrange(`${prefix}ticks`, '-', '+');
    redis.disconnect();
    const seconds = entries
      .map(([, fields]) => Object.fromEntries(fields.reduce<[string, string][]>((pairs, value, i, all) => (i % 2 === 0 ? [...pairs, [value, all[i + 1]!]] : pairs), [])))
      .filter((tick) => tick.symbol === 'AAPL')
      .map((tick) => Math.floor(Date.parse(tick.ts!) / 1000));
    expect(seconds.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seconds).size).toBe(seconds.length);
  }, 150_000);

  it('fills a market order exactly to its quantity though two workers run the matching', async () => {
    const email = `multi-${randomBytes(4).toString('hex')}@example.com`;
    const registered = await post(apis[0]!.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email, password: 'correct horse battery staple', fullName: 'Multi Process' },
    });
    const auth = { authorization: `Bearer ${registered.data!.register.accessToken}` };
    const created = await post(apis[1]!.url, 'mutation($input: CreatePortfolioInput!) { createPortfolio(input: $input) { id } }', { input: { name: 'Main' } }, auth);
    const portfolioId = created.data!.createPortfolio.id as string;
    await post(apis[2]!.url, 'mutation($input: CashMovementInput!) { depositCash(input: $input) { cash } }', { input: { portfolioId, amount: 100_000, idempotencyKey: randomBytes(8).toString('hex') } }, auth);
    const placed = await post(apis[0]!.url, 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }', {
      input: { portfolioId, symbol: 'AAPL', side: 'BUY', quantity: 3, type: 'MARKET' },
    }, auth);
    const orderId = placed.data!.placeOrder.id as string;

    let status = placed.data!.placeOrder.status as string;
    const deadline = Date.now() + 60_000;
    while (status !== 'FILLED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const read = await post(apis[1]!.url, 'query($id: ID!) { portfolio(id: $id) { orders(first: 5) { edges { node { id status } } } } }', { id: portfolioId }, auth);
      status = read.data!.portfolio.orders.edges.find((e: any) => e.node.id === orderId).node.status;
    }
    expect(status).toBe('FILLED');
    // A few more ticks: a second fill would land now if the lock or the order row lock failed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // The engine may fill a MARKET order over several ticks (volume participation), never more than ordered.
    const [fills] = await user.sql.query<{ quantity: string; ticks: number; n: number }>(
      'SELECT coalesce(sum(quantity), 0)::text AS quantity, count(DISTINCT tick_ts)::int AS ticks, count(*)::int AS n FROM fills WHERE order_id = $1',
      [orderId],
    );
    expect(Number(fills!.quantity)).toBe(3);
    expect(fills!.ticks).toBe(fills!.n);
  }, 120_000);

  it('holds one rate-limit budget across the three processes', async () => {
    const answers = [];
    for (let i = 0; i < BUDGET + 12; i += 1) answers.push(await post(apis[i % 3]!.url, '{ __typename }'));
    const codes = answers.map((a) => a.errors?.[0]?.extensions?.code ?? 'OK');
    const firstLimited = codes.indexOf('RATE_LIMITED');
    // Each process alone would allow BUDGET (three times that round-robin); shared in Redis, the three together allow
    // at most BUDGET (less: the earlier tests spent some), and once it is spent every process refuses.
    expect(firstLimited).toBeGreaterThan(0);
    expect(firstLimited).toBeLessThanOrEqual(BUDGET);
    expect(codes.slice(firstLimited).every((code) => code === 'RATE_LIMITED')).toBe(true);
    expect(codes.length - firstLimited).toBeGreaterThanOrEqual(12);
  }, 60_000);
});
