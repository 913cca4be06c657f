import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CREATE, DEPOSIT, PORTFOLIO, RECORD, TRANSFER, WITHDRAW } from './operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');

let t: TestApp;
let ada: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  ada = await signUp(t, 'ada');
});
afterAll(() => t?.close());

const ok = <T = any>(query: string, variables: Record<string, unknown>, user: SignedUpUser = ada) => t.data<T>(query, variables, user.headers);

const fails = (query: string, variables: Record<string, unknown>, user: SignedUpUser = ada) => t.firstError(query, variables, user.headers);

async function newPortfolio(input: Record<string, unknown> = {}, user = ada): Promise<string> {
  return (await ok(CREATE, { input: { name: 'Main', ...input } }, user)).createPortfolio.id;
}

const key = () => randomUUID();
const deposit = (portfolioId: string, amount: number, currency?: string) =>
  ok(DEPOSIT, { input: { portfolioId, amount, idempotencyKey: key(), ...(currency ? { currency } : {}) } });
const trade = (portfolioId: string, input: Record<string, unknown>) =>
  ({ input: { portfolioId, symbol: 'AAPL', side: 'BUY', quantity: 10, price: 100, fee: 0, executedAt: '2025-03-05T15:00:00Z', ...input } });
const rowCount = async (table: string) => Number((await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

describe('portfolios', () => {
  it('are created with a USD base currency and no shorting by default, and listed oldest first for their owner only', async () => {
    const user = await signUp(t, 'lister');
    const created = (await ok(CREATE, { input: { name: ' Long term ' } }, user)).createPortfolio;
    expect(created).toMatchObject({ name: 'Long term', baseCurrency: 'USD', allowShort: false });
    await ok(CREATE, { input: { name: 'Euro', baseCurrency: 'eur', allowShort: true } }, user);
    const { portfolios } = await ok(`{ portfolios { name baseCurrency allowShort cash } }`, {}, user);
    expect(portfolios).toEqual([
      { name: 'Long term', baseCurrency: 'USD', allowShort: false, cash: 0 },
      { name: 'Euro', baseCurrency: 'EUR', allowShort: true, cash: 0 },
    ]);
    expect((await ok(`{ portfolios { id } }`, {})).portfolios.map((p: { id: string }) => p.id)).not.toContain(created.id);
  });

  it('answer NOT_FOUND for another user’s id exactly as for an unknown one, on reads and writes', async () => {
    const mallory = await signUp(t, 'mallory');
    const id = await newPortfolio();
    const foreign = await fails(PORTFOLIO, { id }, mallory);
    const unknown = await fails(PORTFOLIO, { id: randomUUID() }, mallory);
    expect(foreign.extensions!.code).toBe('NOT_FOUND');
    expect(unknown.extensions!.code).toBe('NOT_FOUND');
    expect((await fails(DEPOSIT, { input: { portfolioId: id, amount: 5, idempotencyKey: key() } }, mallory)).extensions!.code).toBe('NOT_FOUND');
    expect((await fails(RECORD, trade(id, {}), mallory)).extensions!.code).toBe('NOT_FOUND');
  });

  it('need a signed-in user', async () => {
    const result = await t.graphql(`{ portfolios { id } }`);
    expect(result.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('count positions as 50 rows in the cost guard, so candles nested under them are bounded', async () => {
    const result = await t.graphql(`{ portfolios { positions { stock { candles(last: 1000) { close } } } } }`, {}, ada.headers);
    expect(result.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
    expect((await t.graphql(`{ portfolios { positions { stock { candles(last: 30) { close } } } } }`, {}, ada.headers)).errors).toBeUndefined();
  });

  it('refuse an unknown base currency and an empty name', async () => {
    expect((await fails(CREATE, { input: { name: 'x', baseCurrency: 'XYZ' } })).message).toMatch(/^baseCurrency: must be one of USD/);
    expect((await fails(CREATE, { input: { name: '  ' } })).message).toBe('name: must not be empty');
  });
});

describe('depositCash and withdrawCash', () => {
  it('book cash in the base currency by default and in any supported currency when asked', async () => {
    const id = await newPortfolio();
    expect((await deposit(id, 1000.5)).depositCash.cash).toBe(1000.5);
    await deposit(id, 200, 'EUR');
    expect((await ok(WITHDRAW, { input: { portfolioId: id, amount: 0.5, idempotencyKey: key() } })).withdrawCash.cash).toBe(1000);
    const { portfolio } = await ok(PORTFOLIO, { id });
    expect(portfolio.cashBalances).toEqual(expect.arrayContaining([{ currency: 'USD', amount: 1000 }, { currency: 'EUR', amount: 200 }]));
    // EUR cash is valued at EURUSD 1.10.
    expect(portfolio.totalValue).toBe(1220);
  });

  it('refuse a withdrawal beyond the cash with INSUFFICIENT_FUNDS and write nothing', async () => {
    const id = await newPortfolio();
    await deposit(id, 100);
    const before = await rowCount('cash_equity_book');
    const error = await fails(WITHDRAW, { input: { portfolioId: id, amount: 100.01, idempotencyKey: key() } });
    expect(error.extensions!.code).toBe('INSUFFICIENT_FUNDS');
    expect(error.message).toBe('Insufficient funds: USD cash is 100 and this needs 100.01');
    expect(await rowCount('cash_equity_book')).toBe(before);
  });

  it('refuse non-positive amounts, more decimals than the currency has and unknown currencies', async () => {
    const id = await newPortfolio();
    const input = (amount: number, currency?: string) => ({ input: { portfolioId: id, amount, idempotencyKey: key(), ...(currency ? { currency } : {}) } });
    expect((await fails(DEPOSIT, input(0))).message).toBe('amount: must be positive');
    expect((await fails(DEPOSIT, input(-5))).message).toBe('amount: must be positive');
    expect((await fails(DEPOSIT, input(1.005))).message).toBe('amount: must have at most 2 decimal places in USD');
    expect((await fails(DEPOSIT, input(1.5, 'JPY'))).message).toBe('amount: must have at most 0 decimal places in JPY');
    expect((await fails(DEPOSIT, input(1, 'XYZ'))).message).toMatch(/^currency: must be one of/);
    const yen = await newPortfolio({ baseCurrency: 'JPY' });
    expect((await fails(DEPOSIT, { input: { portfolioId: yen, amount: 10.5, idempotencyKey: key() } })).message).toBe('amount: must have at most 0 decimal places in JPY');
  });

  it('return the first result for a repeated idempotencyKey and refuse the key with other arguments', async () => {
    const id = await newPortfolio();
    const idempotencyKey = key();
    const first = await ok(DEPOSIT, { input: { portfolioId: id, amount: 50, idempotencyKey } });
    const again = await ok(DEPOSIT, { input: { portfolioId: id, amount: 50, idempotencyKey } });
    expect(first.depositCash.cash).toBe(50);
    expect(again.depositCash.cash).toBe(50);
    const other = await fails(DEPOSIT, { input: { portfolioId: id, amount: 60, idempotencyKey } });
    expect(other.extensions!.code).toBe('BAD_USER_INPUT');
    expect(other.message).toBe(`idempotencyKey: ${idempotencyKey} was already used for a different request (deposit with other arguments)`);
    const asWithdrawal = await fails(WITHDRAW, { input: { portfolioId: id, amount: 50, idempotencyKey } });
    expect(asWithdrawal.extensions!.code).toBe('BAD_USER_INPUT');
    expect((await ok(PORTFOLIO, { id })).portfolio.cash).toBe(50);
  });

  it('apply a key used by two concurrent identical deposits once', async () => {
    const id = await newPortfolio();
    const idempotencyKey = key();
    const results = await Promise.all(Array.from({ length: 5 }, () => t.graphql(DEPOSIT, { input: { portfolioId: id, amount: 10, idempotencyKey } }, ada.headers)));
    expect(results.every((r) => !r.errors)).toBe(true);
    expect((await ok(PORTFOLIO, { id })).portfolio.cash).toBe(10);
  });
});

describe('transferCash', () => {
  it('moves cash between two of the user’s portfolios in one transaction', async () => {
    const [a, b] = [await newPortfolio(), await newPortfolio()];
    await deposit(a, 300);
    const { transferCash } = await ok(TRANSFER, { input: { fromPortfolioId: a, toPortfolioId: b, amount: 120.25, idempotencyKey: key() } });
    expect(transferCash).toEqual([
      { id: a, baseCurrency: 'USD', cash: 179.75 },
      { id: b, baseCurrency: 'USD', cash: 120.25 },
    ]);
    const error = await fails(TRANSFER, { input: { fromPortfolioId: a, toPortfolioId: b, amount: 500, idempotencyKey: key() } });
    expect(error.extensions!.code).toBe('INSUFFICIENT_FUNDS');
    expect((await ok(PORTFOLIO, { id: b })).portfolio.cash).toBe(120.25);
  });

  it('converts at the stored FX rate when the base currencies differ, either way round', async () => {
    const [usd, eur] = [await newPortfolio(), await newPortfolio({ baseCurrency: 'EUR' })];
    await deposit(eur, 100);
    const toUsd = await ok(TRANSFER, { input: { fromPortfolioId: eur, toPortfolioId: usd, amount: 100, idempotencyKey: key() } });
    expect(toUsd.transferCash.map((p: { cash: number }) => p.cash)).toEqual([0, 110]);
    // USD→EUR uses 1 / EURUSD: 11 / 1.10 = 10 euros.
    const toEur = await ok(TRANSFER, { input: { fromPortfolioId: usd, toPortfolioId: eur, amount: 11, idempotencyKey: key() } });
    expect(toEur.transferCash.map((p: { cash: number }) => p.cash)).toEqual([99, 10]);
  });

  it('says which rate is missing, and refuses another user’s portfolio and a transfer to itself', async () => {
    const [usd, gbp] = [await newPortfolio(), await newPortfolio({ baseCurrency: 'GBP' })];
    await deposit(usd, 100);
    const noRate = await fails(TRANSFER, { input: { fromPortfolioId: usd, toPortfolioId: gbp, amount: 10, idempotencyKey: key() } });
    expect(noRate).toMatchObject({ message: 'no FX rate for USD→GBP', extensions: { code: 'BAD_USER_INPUT' } });
    const eve = await signUp(t, 'eve');
    const theirs = await newPortfolio({}, eve);
    expect((await fails(TRANSFER, { input: { fromPortfolioId: usd, toPortfolioId: theirs, amount: 10, idempotencyKey: key() } })).extensions!.code).toBe('NOT_FOUND');
    expect((await fails(TRANSFER, { input: { fromPortfolioId: usd, toPortfolioId: usd, amount: 10, idempotencyKey: key() } })).message).toBe('toPortfolioId: must differ from fromPortfolioId');
    expect((await ok(PORTFOLIO, { id: usd })).portfolio.cash).toBe(100);
  });
});

describe('recordTrade', () => {
  it('books the trade, its cash and FEE rows and the position in one go, and values it at the latest quote', async () => {
    const id = await newPortfolio();
    await deposit(id, 10_000);
    const { recordTrade } = await ok(RECORD, trade(id, { quantity: 10, price: 150.5, fee: 1.25 }));
    expect(recordTrade).toMatchObject({ symbol: 'AAPL', side: 'BUY', quantity: 10, price: 150.5, fee: 1.25, currency: 'USD', notionalLocal: 1505, notional: 1505, fxRate: 1, source: 'RECORDED' });
    await ok(RECORD, trade(id, { quantity: 5, price: 170 }));
    const { portfolio } = await ok(PORTFOLIO, { id });
    // cash 10000 - 1505 - 1.25 - 850; 15 AAPL at average (1505 + 850) / 15 = 157, quoted 190 (previous close 180).
    expect(portfolio.cash).toBe(7643.75);
    expect(portfolio.positions).toEqual([
      {
        stock: { symbol: 'AAPL' }, quantity: 15, averageCost: 157, price: 190, marketValue: 2850, costBasis: 2355,
        unrealizedPnl: 495, unrealizedPnlPercent: 21.019108, dayChange: 150, weight: 0.27159, realizedPnl: 0,
      },
    ]);
    expect(portfolio).toMatchObject({ totalValue: 10493.75, invested: 2355, dayChange: 150, realizedPnl: 0 });
  });

  it('counts today\'s day change of shares bought today from their price, and of shares sold today up to the sale', async () => {
    const id = await newPortfolio();
    await deposit(id, 10_000);
    const now = new Date().toISOString();
    // 10 AAPL held since before today, 5 more bought today at 186, 4 sold today at 192. Quoted 190, previous close 180.
    await ok(RECORD, trade(id, { quantity: 10, price: 150 }));
    await ok(RECORD, trade(id, { quantity: 5, price: 186, executedAt: now }));
    await ok(RECORD, trade(id, { quantity: 4, side: 'SELL', price: 192, executedAt: now }));
    const { portfolio } = await ok(PORTFOLIO, { id });
    // Now 11 × 190 = 2090; at the close 10 × 180 = 1800; today's trades paid 5 × 186 - 4 × 192 = 162: 2090 - 1800 - 162.
    expect(portfolio.positions[0]).toMatchObject({ quantity: 11, dayChange: 128 });
    expect(portfolio.dayChange).toBe(128);

    // Sold out today: no position row, but the day's gain of the sale stays in the portfolio's day change.
    await ok(RECORD, trade(id, { quantity: 11, side: 'SELL', price: 191, executedAt: now }));
    const closed = (await ok(PORTFOLIO, { id })).portfolio;
    expect(closed.positions).toEqual([]);
    // 0 now; 1800 at the close; today paid 930 - 768 - 2101 = -1939: 0 - 1800 + 1939.
    expect(closed.dayChange).toBe(139);
  });

  it('realises P&L on sells against the average cost, commissions excluded', async () => {
    const id = await newPortfolio();
    await deposit(id, 5000);
    await ok(RECORD, trade(id, { quantity: 10, price: 100, fee: 1 }));
    await ok(RECORD, trade(id, { quantity: 10, price: 120, fee: 1 }));
    await ok(RECORD, trade(id, { side: 'SELL', quantity: 5, price: 130, fee: 1 }));
    const { portfolio } = await ok(PORTFOLIO, { id });
    // Average 110; selling 5 at 130 realises 5 × 20 = 100; 15 left at 110.
    expect(portfolio.positions[0]).toMatchObject({ quantity: 15, averageCost: 110, costBasis: 1650, realizedPnl: 100 });
    expect(portfolio).toMatchObject({ realizedPnl: 100, cash: 5000 - 1000 - 1200 + 650 - 3 });
    // Selling the rest closes the position: it leaves the list, its realised P&L stays.
    await ok(RECORD, trade(id, { side: 'SELL', quantity: 15, price: 100, fee: 0 }));
    const closed = (await ok(PORTFOLIO, { id })).portfolio;
    expect(closed.positions).toEqual([]);
    expect(closed).toMatchObject({ realizedPnl: -50, invested: 0, cash: 3447 + 1500 });
  });

  it('refuses to sell more than held with INSUFFICIENT_POSITION, unless the portfolio allows short positions', async () => {
    const id = await newPortfolio();
    await deposit(id, 5000);
    await ok(RECORD, trade(id, { quantity: 3 }));
    const books = await rowCount('trade_execution_log');
    const error = await fails(RECORD, trade(id, { side: 'SELL', quantity: 3.5 }));
    expect(error).toMatchObject({
      message: 'Insufficient position: the portfolio holds 3 AAPL and cannot sell 3.5 (short positions are not allowed)',
      extensions: { code: 'INSUFFICIENT_POSITION' },
    });
    expect(await rowCount('trade_execution_log')).toBe(books);
    const shorts = await newPortfolio({ allowShort: true });
    await ok(RECORD, trade(shorts, { side: 'SELL', quantity: 2, price: 200 }));
    const { portfolio } = await ok(PORTFOLIO, { id: shorts });
    expect(portfolio.cash).toBe(400);
    expect(portfolio.positions[0]).toMatchObject({ quantity: -2, averageCost: 200, marketValue: -380, unrealizedPnl: 20 });
  });

  it('refuses a buy beyond the cash with INSUFFICIENT_FUNDS and leaves no half trade behind', async () => {
    const id = await newPortfolio();
    await deposit(id, 999.99);
    const before = await Promise.all(['trade_execution_log', 'cash_equity_book', 'positions_book'].map(rowCount));
    expect((await fails(RECORD, trade(id, { quantity: 10, price: 100 }))).extensions!.code).toBe('INSUFFICIENT_FUNDS');
    expect(await Promise.all(['trade_execution_log', 'cash_equity_book', 'positions_book'].map(rowCount))).toEqual(before);
  });

  it('refuses unknown, delisted and blacklisted symbols, bad quantities, prices, fees and a wrong currency', async () => {
    const id = await newPortfolio();
    await deposit(id, 5000);
    const cases: [Record<string, unknown>, string][] = [
      [{ symbol: 'NOPE' }, 'symbol: no listed stock has the symbol NOPE'],
      [{ symbol: 'GONE' }, 'symbol: no listed stock has the symbol GONE'],
      [{ symbol: 'ZZZZ' }, 'symbol: ZZZZ is blacklisted and cannot be added'],
      [{ quantity: 0 }, 'quantity: must be positive'],
      [{ quantity: 1.0000001 }, 'quantity: must have at most 6 decimal places (shares are held to 6 places)'],
      [{ price: -1 }, 'price: must be positive'],
      [{ fee: -1 }, 'fee: must not be negative'],
      [{ fee: 0.001 }, 'fee: must have at most 2 decimal places in USD'],
      [{ currency: 'EUR' }, 'currency: AAPL trades in USD'],
      [{ executedAt: '2999-01-01T00:00:00Z' }, 'executedAt: must not be in the future'],
    ];
    for (const [input, message] of cases) {
      const error = await fails(RECORD, trade(id, input));
      expect({ input, message: error.message, code: error.extensions!.code }).toEqual({ input, message, code: 'BAD_USER_INPUT' });
    }
  });

  it('keeps fractional shares to 6 places and books a listing in another currency at the FX rate', async () => {
    const id = await newPortfolio();
    await deposit(id, 100);
    await ok(RECORD, trade(id, { quantity: 0.123456, price: 190 }));
    await deposit(id, 1000, 'EUR');
    const asml = (await ok(RECORD, trade(id, { symbol: 'ASML', quantity: 1, price: 700, fee: 2 }))).recordTrade;
    expect(asml).toMatchObject({ currency: 'EUR', notionalLocal: 700, notional: 770, fxRate: 1.1 });
    const { portfolio } = await ok(PORTFOLIO, { id });
    expect(portfolio.cashBalances).toEqual(expect.arrayContaining([{ currency: 'USD', amount: 76.54 }, { currency: 'EUR', amount: 298 }]));
    const bySymbol = Object.fromEntries(portfolio.positions.map((p: { stock: { symbol: string } }) => [p.stock.symbol, p]));
    expect(bySymbol.AAPL).toMatchObject({ quantity: 0.123456, averageCost: 190 });
    expect(bySymbol.ASML).toMatchObject({ quantity: 1, averageCost: 700, marketValue: 770 });
  });

  it('pages the trade log newest first', async () => {
    const id = await newPortfolio();
    await deposit(id, 10_000);
    for (const quantity of [1, 2, 3]) await ok(RECORD, trade(id, { quantity }));
    const PAGE = `query($id: ID!, $after: String) { portfolio(id: $id) { trades(first: 2, after: $after) { edges { node { quantity } } pageInfo { hasNextPage endCursor } } } }`;
    const first = (await ok(PAGE, { id })).portfolio.trades;
    expect(first.edges.map((e: { node: { quantity: number } }) => e.node.quantity)).toEqual([3, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(PAGE, { id, after: first.pageInfo.endCursor })).portfolio.trades;
    expect(second.edges.map((e: { node: { quantity: number } }) => e.node.quantity)).toEqual([1]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});
