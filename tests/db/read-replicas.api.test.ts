import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/databases.js';
import { signUp } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/market/fixtures/market.sql', import.meta.url), 'utf8');
const replicaServer = process.env.TEST_STOCK_REPLICA_URL || undefined;
const primaryServer = process.env.TEST_STOCK_DATABASE_URL || undefined;
const BACKFILL = `mutation($input: BackfillInput!) { backfill(input: $input) { inserted skipped } }`;

async function replicaUrlOf(db: TestDatabase): Promise<string> {
  const url = new URL(replicaServer!);
  url.pathname = new URL(db.url!).pathname;
  // The fresh database and its rows reach the replica within moments: wait until its stocks are there.
  for (let attempt = 0; ; attempt += 1) {
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM stock');
      if (rows[0]!.n > 0) return url.toString();
    } catch (error) {
      if (attempt > 100) throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!replicaServer || !primaryServer)('the API on a stock database with a read replica (needs TEST_STOCK_REPLICA_URL)', () => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await startTestApp({
      prepareStock: (db) => db.sql.exec(MARKET),
      envFor: async ({ stock }) => ({ STOCK_DATABASE_REPLICA_URLS: await replicaUrlOf(stock) }),
    });
    const boss = await signUp(t, 'admin');
    await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
    const { data } = await t.graphql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: boss.email, p: boss.password });
    admin = { authorization: `Bearer ${data!.login.accessToken}` };
  });
  afterAll(() => t?.close());

  it('answers a public query from the replica', async () => {
    expect(t.app.stockDb.replicas).toBe(1);
    t.app.stockDb.replicaQueries.reset();
    const data = await t.data(`{ stock(symbol: "AAPL") { symbol name } }`);
    expect(data.stock).toEqual({ symbol: 'AAPL', name: 'Apple Inc.' });
    expect(t.app.stockDb.replicaQueries.count).toBeGreaterThan(0);
  });

  it('runs a backfill on the primary and reads nothing from the replica once it has written', async () => {
    t.app.stockDb.replicaQueries.reset();
    t.app.stockDb.queries.reset();
    const input = { provider: 'SIMULATED', symbols: ['MSFT'], from: '2023-01-02T00:00:00Z', to: '2023-01-06T00:00:00Z' };
    const data = await t.data(BACKFILL, { input }, admin);
    expect(data.backfill.inserted).toBe(5);
    const all = t.app.stockDb.queries.statements;
    const firstWrite = all.findIndex((sql) => /ensure_stock_price_partitions|INSERT/i.test(sql));
    expect(firstWrite).toBeGreaterThan(-1);
    // Every statement the replica answered came before the first write; the reads after it (the backfill's own
    // and the indicator recompute of the new candles) went to the primary.
    const onReplica = t.app.stockDb.replicaQueries.statements;
    const replicaAfterWrite = all.slice(firstWrite).filter((sql) => onReplica.includes(sql) && !all.slice(0, firstWrite).includes(sql));
    expect(replicaAfterWrite).toEqual([]);
    const [{ n }] = await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_price WHERE symbol = 'MSFT' AND ts < '2023-02-01'`);
    expect(n).toBe(5);
  });
});
