import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import { IngestService } from '../../../src/modules/market/ingest.service.js';
import { activeSymbols } from '../../../src/providers/provider-factory.js';
import { SimulatedProvider } from '../../../src/providers/simulated-provider.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CREATE, DEPOSIT, PORTFOLIO, RECORD } from './operations.js';

// The real seed for a few listings and the FX pairs they need, one month of history.
const SEEDED = ['AAPL', 'ASML', 'SHEL', 'SPY', 'EURUSD', 'GBPUSD'];
const END = new Date('2026-11-30T00:00:00Z');

let t: TestApp;
let ada: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: async (db) => void (await seedStockDb(db.sql, { symbols: SEEDED, endDate: END, years: 1 / 12 })) });
  ada = await signUp(t, 'fx-ada');
});
afterAll(() => t?.close());

const ok = <T = any>(query: string, variables: Record<string, unknown> = {}) => t.data<T>(query, variables, ada.headers);

async function latestClose(symbol: string): Promise<Decimal> {
  const [row] = await t.stock.sql.query<{ close: string }>('SELECT close::text AS close FROM stock_price WHERE symbol = $1 ORDER BY ts DESC LIMIT 1', [symbol]);
  return new Decimal(row!.close);
}

const symbolsOf = (connection: { edges: { node: { symbol: string } }[] }) => connection.edges.map((edge) => edge.node.symbol);

describe('FX pairs in the stock database', () => {
  it('are stored as FX rows with seeded daily candles, and an ETF and the European listings carry their class and currency', async () => {
    const data = await ok(`{
      eurusd: stock(symbol: "EURUSD") { assetClass currency exchange quote { price } }
      spy: stock(symbol: "SPY") { assetClass currency }
      asml: stock(symbol: "ASML") { assetClass currency exchange }
      shel: stock(symbol: "SHEL") { assetClass currency exchange }
      aapl: stock(symbol: "AAPL") { assetClass currency }
    }`);
    expect(data.eurusd).toMatchObject({ assetClass: 'FX', currency: 'USD', exchange: 'FX' });
    expect(data.eurusd.quote.price).toBe((await latestClose('EURUSD')).toNumber());
    expect(data.eurusd.quote.price).toBeGreaterThan(0.9);
    expect(data.eurusd.quote.price).toBeLessThan(1.5);
    expect(data.spy).toEqual({ assetClass: 'ETF', currency: 'USD' });
    expect(data.asml).toEqual({ assetClass: 'EQUITY', currency: 'EUR', exchange: 'EURONEXT' });
    expect(data.shel).toEqual({ assetClass: 'EQUITY', currency: 'GBP', exchange: 'LSE' });
    expect(data.aapl).toEqual({ assetClass: 'EQUITY', currency: 'USD' });
    const [candles] = await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_price WHERE symbol = 'GBPUSD' AND interval = 'DAY'`);
    expect(Number(candles!.n)).toBeGreaterThan(15);
  });

  it('never show up as stocks: not in stocks, its count, search, an exchange filter or a screener', async () => {
    const data = await ok(`{
      all: stocks(first: 100) { totalCount edges { node { symbol } } }
      bySymbol: stocks(first: 100, filter: { search: "EUR" }) { totalCount edges { node { symbol } } }
      byName: stocks(first: 100, filter: { search: "Dollar" }) { totalCount edges { node { symbol } } }
      byExchange: stocks(first: 100, filter: { exchange: "FX" }) { totalCount }
      bySector: stocks(first: 100, filter: { sector: "Currencies" }) { totalCount }
      screener: runScreener(input: { first: 100 }) { totalCount edges { node { symbol } } }
    }`);
    expect(symbolsOf(data.all).sort()).toEqual(['AAPL', 'ASML', 'SHEL', 'SPY']);
    expect(data.all.totalCount).toBe(4);
    expect(data.bySymbol.totalCount).toBe(0);
    expect(data.byName.totalCount).toBe(0);
    expect(data.byExchange.totalCount).toBe(0);
    expect(data.bySector.totalCount).toBe(0);
    expect(symbolsOf(data.screener).sort()).toEqual(['AAPL', 'ASML', 'SHEL', 'SPY']);
    expect(data.screener.totalCount).toBe(4);
  });

  it('cannot be added to a watchlist or traded', async () => {
    const { createCollection } = await ok(`mutation { createCollection(input: { name: "FX?" }) { id } }`);
    const add = await t.graphql(`mutation($id: ID!) { addStockToCollection(collectionId: $id, symbol: "EURUSD") { id } }`, { id: createCollection.id }, ada.headers);
    expect(add.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(add.errors![0]!.message).toBe('symbol: EURUSD is an FX pair, not a stock');
    const { createPortfolio } = await ok(CREATE, { input: { name: 'FX trade' } });
    const trade = await t.graphql(
      RECORD,
      { input: { portfolioId: createPortfolio.id, symbol: 'EURUSD', side: 'BUY', quantity: 1000, price: 1.1, executedAt: '2026-11-30T15:00:00Z' } },
      ada.headers,
    );
    expect(trade.errors![0]!.message).toBe('symbol: EURUSD is an FX pair, not a stock');
    expect(Number((await t.user.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM trade_execution_log'))[0]!.n)).toBe(0);
  });
});

describe('a USD portfolio holding ASML (EUR)', () => {
  it('books the trade with both notionals and the seeded EURUSD rate, and values it in dollars end to end', async () => {
    const id = (await ok(CREATE, { input: { name: 'Europe' } })).createPortfolio.id;
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 10_000, currency: 'EUR', idempotencyKey: randomUUID() } });
    const rate = await latestClose('EURUSD');
    const asml = await latestClose('ASML');
    const { recordTrade } = await ok(RECORD, {
      input: { portfolioId: id, symbol: 'ASML', side: 'BUY', quantity: 5, price: 900, fee: 2, executedAt: '2026-11-30T15:00:00Z' },
    });
    expect(recordTrade).toMatchObject({ currency: 'EUR', notionalLocal: 4500, fxRate: rate.toNumber() });
    expect(recordTrade.notional).toBe(new Decimal(4500).mul(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber());

    const { portfolio } = await ok(PORTFOLIO, { id });
    const eurCash = new Decimal(10_000 - 4500 - 2);
    expect(portfolio.cashBalances).toEqual([{ currency: 'EUR', amount: eurCash.toNumber() }]);
    expect(portfolio.cash).toBe(0); // no dollars held
    const marketValue = asml.mul(5).mul(rate);
    expect(portfolio.totalValue).toBeCloseTo(eurCash.mul(rate).plus(marketValue).toNumber(), 5);
    expect(portfolio.invested).toBeCloseTo(new Decimal(4500).mul(rate).toNumber(), 5);
    expect(portfolio.positions).toHaveLength(1);
    expect(portfolio.positions[0]).toMatchObject({ stock: { symbol: 'ASML' }, quantity: 5, averageCost: 900, price: asml.toNumber() });
    expect(portfolio.positions[0].marketValue).toBeCloseTo(marketValue.toNumber(), 5);
    expect(portfolio.positions[0].unrealizedPnl).toBeCloseTo(asml.minus(900).mul(5).mul(rate).toNumber(), 5);
  });

  it('converts EUR to GBP through USD when no EURGBP pair is stored', async () => {
    const id = (await ok(CREATE, { input: { name: 'Sterling', baseCurrency: 'GBP' } })).createPortfolio.id;
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 1_000, currency: 'EUR', idempotencyKey: randomUUID() } });
    const { recordTrade } = await ok(RECORD, {
      input: { portfolioId: id, symbol: 'ASML', side: 'BUY', quantity: 1, price: 900, executedAt: '2026-11-30T15:00:00Z' },
    });
    const cross = (await latestClose('EURUSD')).div(await latestClose('GBPUSD'));
    expect(recordTrade.fxRate).toBeCloseTo(cross.toNumber(), 9);
    expect(recordTrade.notional).toBe(new Decimal(900).mul(recordTrade.fxRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber());
  });
});

describe('the simulated feed', () => {
  it('ticks the FX pairs like stocks, with small moves, and a ticked rate is what the next trade converts at', async () => {
    const symbols = await activeSymbols(t.stock.sql);
    expect(symbols).toEqual(expect.arrayContaining(['EURUSD', 'GBPUSD', 'AAPL']));
    const start = await latestClose('EURUSD');
    const provider = await SimulatedProvider.fromDatabase(t.stock.sql, symbols);
    const ingest = new IngestService(t.stock.sql, { tickSource: 'simulated' });
    let last = '';
    for (let i = 0; i < 50; i++) {
      const ticks = await provider.quotes(symbols);
      expect(ticks.map((tick) => tick.symbol)).toContain('EURUSD');
      await ingest.ingestTicks(ticks);
      last = ticks.find((tick) => tick.symbol === 'EURUSD')!.price;
    }
    // 50 five-second ticks of a 7 %-a-year pair stay well within 1 %.
    expect(new Decimal(last).div(start).minus(1).abs().toNumber()).toBeLessThan(0.01);
    expect((await latestClose('EURUSD')).toNumber()).toBe(Number(last));

    const id = (await ok(CREATE, { input: { name: 'After ticks' } })).createPortfolio.id;
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 1_000, currency: 'EUR', idempotencyKey: randomUUID() } });
    const { recordTrade } = await ok(RECORD, {
      input: { portfolioId: id, symbol: 'ASML', side: 'BUY', quantity: 1, price: 900, executedAt: '2026-11-30T15:00:00Z' },
    });
    expect(recordTrade.fxRate).toBe(Number(last));
  });
});
