import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import { signUp } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { dailyCandles } from './features-db.js';

const SYMBOLS = ['AAPL', 'JPM'];

describe('engineered features on a fresh install (INSIGHTS_ON_START)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      prepareStock: (db) => seedStockDb(db.sql, { symbols: SYMBOLS, endDate: new Date('2026-11-27T00:00:00Z'), years: 2 }).then(() => undefined),
      env: { INSIGHTS_ON_START: 'true' },
    });
  }, 120_000);
  afterAll(() => t?.close());

  it('fills featureSummary from the start-up run, with no job tick from the test', async () => {
    const boss = await signUp(t, 'boss');
    await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
    const { login } = await t.data(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: boss.email, p: boss.password });
    const admin = { authorization: `Bearer ${login.accessToken}` };
    let nodes: { symbol: string; recordCount: number }[] = [];
    // The warm-up runs in the background: wait for its refresh of the view (a barrier on the outcome, not a timing).
    for (let attempt = 0; attempt < 600 && nodes.length < SYMBOLS.length; attempt++) {
      const data = await t.data(`{ featureSummary { edges { node { symbol recordCount } } } }`, {}, admin);
      nodes = data.featureSummary.edges.map((e: any) => e.node);
      if (nodes.length < SYMBOLS.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(nodes).toEqual([
      { symbol: 'AAPL', recordCount: await dailyCandles(t.stock, 'AAPL') },
      { symbol: 'JPM', recordCount: await dailyCandles(t.stock, 'JPM') },
    ]);
  }, 90_000);
});
