// The portfolio operations of operations/portfolio.graphql through their typed documents.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreatePortfolioDocument,
  DepositCashDocument,
  PortfolioStateDocument,
  RecordTradeDocument,
  type PortfolioStateQuery,
} from '../../src/generated/operations/graphql.js';
import { signUp } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/portfolio/fixtures/market.sql', import.meta.url), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
});
afterAll(() => t?.close());

describe('typed portfolio operations', () => {
  it('create, deposit, record a trade and read the state back', async () => {
    const { headers } = await signUp(t, 'typed');
    const created = await t.operation(CreatePortfolioDocument, { input: { name: 'Typed' } }, headers);
    const id = created.data!.createPortfolio.id;
    await t.operation(DepositCashDocument, { input: { portfolioId: id, amount: 1000, idempotencyKey: randomUUID() } }, headers);
    const traded = await t.operation(
      RecordTradeDocument,
      { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 2, price: 180, fee: 1, executedAt: '2025-03-05T15:00:00Z' } },
      headers,
    );
    expect(traded.data?.recordTrade.notional).toBe(360);
    const { data } = await t.operation(PortfolioStateDocument, { id }, headers);
    const state: PortfolioStateQuery['portfolio'] | undefined = data?.portfolio;
    expect(state).toMatchObject({ cash: 639, totalValue: 639 + 380, invested: 360, dayChange: 20 });
    expect(state?.positions.map((p) => [p.stock?.symbol, p.quantity, p.marketValue])).toEqual([['AAPL', 2, 380]]);
    expect(state?.trades.edges).toHaveLength(1);
  });
});
