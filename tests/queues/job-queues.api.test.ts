import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedWork } from '../../src/queues/job-queues.js';
import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import { enqueueing, type QueuedJob } from '../../src/queues/queued-jobs.js';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { until } from './queue-support.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
// 60 more listed stocks with one daily close each: with the fixture's three closes, a quotes tick of 63 symbols is two ingest jobs of at most 50.
const MORE_STOCKS = `
INSERT INTO stock (symbol, name, sector, industry, exchange, market_cap)
  SELECT 'Q' || n, 'Queue Test ' || n, 'Technology', 'Software - Application', 'NASDAQ', 1000000000 FROM generate_series(1, 60) AS n;
INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume)
  SELECT 'Q' || n, 'DAY', '2025-03-05T00:00:00Z', 50, 51, 49, 50.5, 50.5, 1000000 FROM generate_series(1, 60) AS n;`;
const JOB_QUEUES = `{ jobQueues { name waiting active completed failed delayed } }`;

let t: TestApp;
let user: SignedUpUser;
let admin: { authorization: string };

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET + MORE_STOCKS) });
  user = await signUp(t, 'user');
  const boss = await signUp(t, 'boss');
  await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
  const { login } = await t.data(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: boss.email, p: boss.password });
  admin = { authorization: `Bearer ${login.accessToken}` };
}, 120_000);
afterAll(() => t?.close());

const queueNamed = async (name: string) => (await t.data(JOB_QUEUES, {}, admin)).jobQueues.find((queue: { name: string }) => queue.name === name);

describe('the jobQueues query', () => {
  it('is refused to anonymous callers and to users who are not administrators', async () => {
    expect((await t.firstError(JOB_QUEUES)).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.firstError(JOB_QUEUES, {}, user.headers)).extensions?.code).toBe('FORBIDDEN');
  });

  it('answers an administrator with every queue and its jobs by state', async () => {
    const { jobQueues } = await t.data(JOB_QUEUES, {}, admin);
    expect(jobQueues.map((queue: { name: string }) => queue.name)).toEqual([...QUEUE_NAMES]);
    // Nothing consumes the queues in tests (startJobs is not called): work added stays waiting, and is counted.
    await t.app.queues.add([1, 2, 3].map((n): QueuedWork => ({ queue: 'scanner', name: 'market-scan', data: { n } })));
    expect(await queueNamed('scanner')).toEqual({ name: 'scanner', waiting: 3, active: 0, completed: 0, failed: 0, delayed: 0 });
    expect(await queueNamed('news')).toMatchObject({ waiting: 0 });
    const metrics = await (await fetch(t.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('marketgraph_queue_jobs{queue="scanner",state="waiting"} 3');
  });
});

describe(`a quotes tick on the app's queues`, () => {
  it('is split into ingest jobs of at most 50 symbols, one pending per chunk, that store and publish every tick, then order matching', async () => {
    const quotes = t.app.jobs.find((job) => job.name === 'quotes') as QueuedJob;
    const work = await quotes.split();
    const ingests = work.filter((item) => item.name === 'quotes-ingest') as QueuedWork<{ ticks: { symbol: string; price: string }[] }>[];
    expect(work.filter((item) => item.name === 'orders-expire').map((item) => item.queue)).toEqual(['order-matching']);
    expect(ingests.map((item) => item.data.ticks.length)).toEqual([50, 13]);
    const symbols = ingests.flatMap((item) => item.data.ticks.map((tick) => tick.symbol));
    expect(new Set(symbols).size).toBe(63);

    await t.app.queues.add(work);
    // A second tick, as the schedule runs it (under the job lock, enqueueing only), while the first one's ingests are
    // pending adds nothing: the same symbols are never ingested side by side.
    expect(await t.app.scheduler.tick(enqueueing(quotes, t.app.queues))).toBe('ran');
    expect(await queueNamed('market-data')).toMatchObject({ waiting: 2 });
    expect(await queueNamed('order-matching')).toMatchObject({ waiting: 1 });
    t.app.queues.consume(['market-data', 'order-matching']);
    // Two ingests, then one expiry and a match per ingest.
    await until('the ingests and the matching', async () => (await queueNamed('market-data')).completed === 2 && (await queueNamed('order-matching')).completed === 3);
    expect(await queueNamed('market-data')).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    const q7 = ingests.flatMap((item) => item.data.ticks).find((tick) => tick.symbol === 'Q7')!;
    const { data } = await t.graphql(`{ stock(symbol: "Q7") { quote { price } minute: candles(interval: MINUTE, last: 1) { close } } }`);
    expect(data!.stock.quote.price).toBe(Number(q7.price));
    expect(data!.stock.minute[0].close).toBe(Number(q7.price));
    // Every queued run is in the activity log's performance rows under its handler's name.
    await t.app.activity.writer!.flush();
    const runs = await t.user.sql.query<{ operation: string; n: number }>(
      `SELECT operation, count(*)::int AS n FROM activity.performance_logs WHERE operation IN ('job:quotes-ingest', 'job:orders-match') AND status = 'ok' GROUP BY operation ORDER BY operation`,
    );
    expect(runs).toEqual([{ operation: 'job:orders-match', n: 2 }, { operation: 'job:quotes-ingest', n: 2 }]);
  });
});
