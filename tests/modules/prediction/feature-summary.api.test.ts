import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import { FEATURES_JOB } from '../../../src/modules/prediction/features/features.insights.js';
import { signUp } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { addDay, count, dailyCandles } from './features-db.js';

const SYMBOLS = ['AAPL', 'MSFT', 'XOM'];
const END = new Date('2026-11-27T00:00:00Z');
const SUMMARY = `query($first: Int, $after: String) { featureSummary(first: $first, after: $after) {
  edges { cursor node { symbol latestTimestamp recordCount latestVersion rsiCoverage maCoverage } }
  pageInfo { hasNextPage endCursor } } }`;

describe('featureSummary and the hourly features job', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let user: { authorization: string };
  const tickFeatures = () => t.app.scheduler.tick(t.app.jobs.find((job) => job.name === FEATURES_JOB)!);
  const summary = async (variables: Record<string, unknown> = {}) => (await t.data(SUMMARY, variables, admin)).featureSummary;

  beforeAll(async () => {
    t = await startTestApp({ prepareStock: (db) => seedStockDb(db.sql, { symbols: SYMBOLS, endDate: END, years: 2 }).then(() => undefined) });
    user = (await signUp(t, 'user')).headers;
    const boss = await signUp(t, 'boss');
    await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
    const { login } = await t.data(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: boss.email, p: boss.password });
    admin = { authorization: `Bearer ${login.accessToken}` };
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses a signed-in user with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    expect((await t.firstError(SUMMARY, {}, user)).extensions?.code).toBe('FORBIDDEN');
    expect((await t.firstError(SUMMARY, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows nothing before the job ran, then one summary per symbol from the refreshed view', async () => {
    expect((await summary()).edges).toEqual([]);
    expect(await tickFeatures()).toBe('ran');
    const { edges, pageInfo } = await summary();
    expect(edges.map((e: any) => e.node.symbol)).toEqual(SYMBOLS);
    expect(pageInfo.hasNextPage).toBe(false);
    for (const { node } of edges) {
      const n = await dailyCandles(t.stock, node.symbol);
      const latest = await t.stock.sql.query<{ ts: Date }>(`SELECT max(ts) AS ts FROM stock_price WHERE symbol = $1 AND interval = 'DAY'`, [node.symbol]);
      // RSI(14) is defined from the 15th session on, SMA200 from the 200th.
      expect(node).toEqual({
        symbol: node.symbol,
        latestTimestamp: new Date(latest[0]!.ts).toISOString(),
        recordCount: n,
        latestVersion: 1,
        rsiCoverage: expect.closeTo((n - 14) / n, 12),
        maCoverage: expect.closeTo((n - 199) / n, 12),
      });
    }
  });

  it('shows the new counts after the next run stores a new session', async () => {
    const before = (await summary()).edges.find((e: any) => e.node.symbol === 'MSFT').node;
    await t.stock.sql.exec(addDay('MSFT', '2026-11-30', 150));
    // Stored rows change at once; the view only on the job's refresh.
    expect(await tickFeatures()).toBe('ran');
    const after = (await summary()).edges.find((e: any) => e.node.symbol === 'MSFT').node;
    expect(after.recordCount).toBe(before.recordCount + 1);
    expect(after.latestTimestamp).toBe('2026-11-30T00:00:00.000Z');
    expect(await count(t.stock, `SELECT count(*)::int AS n FROM feature_engineered_data WHERE symbol = 'MSFT'`)).toBe(after.recordCount);
  });

  it('pages by symbol with first and after, and rejects a foreign cursor as BAD_USER_INPUT', async () => {
    const first = await summary({ first: 2 });
    expect(first.edges.map((e: any) => e.node.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await summary({ first: 2, after: first.pageInfo.endCursor });
    expect(rest.edges.map((e: any) => e.node.symbol)).toEqual(['XOM']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    // One statement on the view for the whole page.
    expect((await t.coldStatements(SUMMARY, { first: 3 }, admin)).stock).toBe(1);
    expect((await t.firstError(SUMMARY, { after: 'bm9wZTpub3Bl' }, admin)).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.firstError(SUMMARY, { first: 500 }, admin)).extensions?.code).toBe('BAD_USER_INPUT');
  });
});
