import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Tick } from '../../../src/providers/market-data-provider.js';
import { readPortfolioStates } from '../../../src/modules/portfolio/portfolio-state.sql.js';
import { orderTopic } from '../../../src/realtime/topics.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CREATE, DEPOSIT, RECORD, TRANSFER, WITHDRAW } from './operations.js';
import { CANCEL, ORDER_UPDATED, ORDERS, PLACE } from './order-operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');

let t: TestApp;
let ada: SignedUpUser;
beforeAll(async () => {
  // A flat 10 bps of slippage (no size impact), so prices are easy to check by hand; the model itself is unit-tested.
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env: { ORDER_SLIPPAGE_BASE_BPS: '10', ORDER_SLIPPAGE_IMPACT_BPS: '0', ORDER_SLIPPAGE_MAX_BPS: '10' } });
  ada = await signUp(t, 'ada');
});
afterAll(() => t?.close());

const ok = <T = any>(query: string, variables: Record<string, unknown>, user: SignedUpUser = ada) => t.data<T>(query, variables, user.headers);

const fails = (query: string, variables: Record<string, unknown>, user: SignedUpUser = ada) => t.firstError(query, variables, user.headers);

async function funded(amount: number, input: Record<string, unknown> = {}, user = ada): Promise<string> {
  const id = (await ok(CREATE, { input: { name: 'Paper', ...input } }, user)).createPortfolio.id as string;
  await ok(DEPOSIT, { input: { portfolioId: id, amount, idempotencyKey: randomUUID() } }, user);
  return id;
}

const place = (portfolioId: string, input: Record<string, unknown>, user = ada) =>
  ok(PLACE, { input: { portfolioId, symbol: 'AAPL', side: 'BUY', quantity: 10, type: 'MARKET', ...input } }, user).then((d) => d.placeOrder);
const orders = async (id: string, status?: string) => (await ok(ORDERS, { id, status })).portfolio.orders.edges.map((e: any) => e.node);
const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]!.n);

let clock = Date.now();
/** A tick strictly later than every order placed so far. */
function tick(price: string, volume = 1_000_000, symbol = 'AAPL'): Tick {
  clock = Math.max(clock + 1000, Date.now() + 1000);
  return { symbol, price, volume, timestamp: new Date(clock) };
}

/** cash + positions at cost + commissions - realised P&L: equals net deposits whatever trades happened. */
async function books(id: string) {
  const state = (await readPortfolioStates(t.app.userDb.prisma, [id])).get(id)!;
  const atCost = state.positions.reduce((sum, p) => sum.plus(p.costBasis).plus(p.commissionPaid).minus(p.realizedPnl), new Decimal(0));
  const cash = state.cash.get('USD') ?? new Decimal(0);
  return { cash, total: cash.plus(atCost), quantity: state.positions.find((p) => p.symbol === 'AAPL')?.quantity.toNumber() ?? 0 };
}

describe('placeOrder', () => {
  it('accepts a market buy, reserves last price plus the margin and commission, logs PLACED, and the next tick fills it in one go', async () => {
    const id = await funded(10_000);
    const order = await place(id, { clientOrderId: 'first-buy' });
    // AAPL last closed at 190: 10 × 190 × 1.05 + the 1.00 minimum commission.
    expect(order).toMatchObject({ status: 'NEW', filledQuantity: 0, reservedAmount: 1996, timeInForce: 'DAY', symbol: 'AAPL', currency: 'USD', fills: [] });
    expect(new Date(order.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(await count('trading_events', `order_id = $1 AND type = 'PLACED'`, [order.id])).toBe(1);

    const report = await t.app.orderFills.match([tick('200.00')]);
    expect(report.fills).toBe(1);
    const [filled] = await orders(id);
    // 200 moved 10 bps against the buyer; commission max(10 × 0.005, 1.00).
    expect(filled).toMatchObject({ status: 'FILLED', filledQuantity: 10, averageFillPrice: 200.2, reservedAmount: 0 });
    expect(filled.fills).toEqual([expect.objectContaining({ quantity: 10, price: 200.2, commission: 1, slippageBps: 10 })]);
    const after = await books(id);
    expect(after.cash.toFixed()).toBe('7997');
    expect(after.total.toFixed()).toBe('10000');
    expect(after.quantity).toBe(10);
    const [trade] = await t.user.sql.query<any>(`SELECT source::text, arrival_price::text, slippage_bps::text, fill_id IS NOT NULL AS has_fill FROM trade_execution_log WHERE order_id = $1`, [order.id]);
    expect(trade).toEqual({ source: 'PAPER', arrival_price: '190.000000', slippage_bps: '10.0000', has_fill: true });
    expect(await count('cash_equity_book', `portfolio_id = $1 AND reason = 'FEE'`, [id])).toBe(1);
    expect(await count('trading_events', `order_id = $1 AND type = 'FILLED'`, [order.id])).toBe(1);
  });

  it('refuses bad input with BAD_USER_INPUT and writes nothing', async () => {
    const id = await funded(10_000);
    const before = [await count('orders'), await count('trading_events')];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ symbol: 'NOPE' }, /^symbol: no listed stock has the symbol NOPE/],
      [{ symbol: 'ZZZZ' }, /^symbol: ZZZZ is blacklisted/],
      [{ symbol: 'GONE' }, /^symbol: no listed stock/],
      [{ quantity: 0 }, /^quantity: must be positive/],
      [{ quantity: -3 }, /^quantity: must be positive/],
      [{ quantity: 1.1234567 }, /^quantity: must have at most 6 decimal places/],
      [{ type: 'LIMIT' }, /^limitPrice: is required for a LIMIT order/],
      [{ type: 'STOP' }, /^stopPrice: is required for a STOP order/],
      [{ type: 'STOP_LIMIT', stopPrice: 200 }, /^limitPrice: is required/],
      [{ type: 'MARKET', limitPrice: 100 }, /^limitPrice: must not be given for a MARKET order/],
      [{ type: 'LIMIT', limitPrice: 100.1234567 }, /^limitPrice: must have at most 6 decimal places/],
      [{ clientOrderId: 'has spaces' }, /^clientOrderId: must be 1-64/],
    ];
    for (const [input, message] of cases) {
      const error = await fails(PLACE, { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 1, type: 'MARKET', ...input } });
      expect({ input, code: error.extensions!.code }).toEqual({ input, code: 'BAD_USER_INPUT' });
      expect(error.message).toMatch(message);
      expect(JSON.stringify(error)).not.toMatch(/at .*\.ts/);
    }
    expect([await count('orders'), await count('trading_events')]).toEqual(before);
  });

  it('refuses a buy beyond buying power (open buys hold their reservation) with INSUFFICIENT_FUNDS, and a sell beyond the position with INSUFFICIENT_POSITION', async () => {
    const id = await funded(1_000);
    const limit = await place(id, { type: 'LIMIT', limitPrice: 90, quantity: 10 });
    expect(limit.reservedAmount).toBe(901);
    const before = await count('orders', 'portfolio_id = $1', [id]);
    const tooMuch = await fails(PLACE, { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 1, type: 'LIMIT', limitPrice: 98.5 } });
    expect(tooMuch.extensions!.code).toBe('INSUFFICIENT_FUNDS');
    expect(tooMuch.message).toMatch(/buying power is 99\.00 USD and this order needs 99\.50/);
    expect((await fails(PLACE, { input: { portfolioId: id, symbol: 'AAPL', side: 'SELL', quantity: 1, type: 'MARKET' } })).extensions!.code).toBe('INSUFFICIENT_POSITION');
    await ok(RECORD, { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 0.5, price: 10, fee: 0, executedAt: '2025-03-05T15:00:00Z' } });
    await place(id, { side: 'SELL', quantity: 0.3 });
    // 0.5 held, 0.3 already offered by an open sell.
    const second = await fails(PLACE, { input: { portfolioId: id, symbol: 'AAPL', side: 'SELL', quantity: 0.3, type: 'MARKET' } });
    expect(second.extensions!.code).toBe('INSUFFICIENT_POSITION');
    expect(await count('orders', 'portfolio_id = $1', [id])).toBe(before + 1);
  });

  it('buys a euro listing with euro cash in a dollar portfolio, and refuses one with no FX rate to the base currency', async () => {
    const id = await funded(100);
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 1_000, currency: 'EUR', idempotencyKey: randomUUID() } });
    // Buying power is per currency: 100 USD does not pay for ASML, 1,000 EUR does.
    expect((await place(id, { symbol: 'ASML', quantity: 1 })).currency).toBe('EUR');
    await t.app.orderFills.match([tick('700.00', 1_000, 'ASML')]);
    const [trade] = await t.user.sql.query<any>(`SELECT currency, notional_local::text, notional::text, fx_rate::text FROM trade_execution_log WHERE portfolio_id = $1`, [id]);
    expect(trade).toEqual({ currency: 'EUR', notional_local: '700.700000', notional: '770.770000', fx_rate: '1.1000000000' });
    const gbp = (await ok(CREATE, { input: { name: 'Pounds', baseCurrency: 'GBP' } })).createPortfolio.id;
    const error = await fails(PLACE, { input: { portfolioId: gbp, symbol: 'AAPL', side: 'BUY', quantity: 1, type: 'MARKET' } });
    expect(error.extensions!.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/no FX rate for USD→GBP/);
  });

  it('lets a portfolio that allows shorting sell what it does not hold', async () => {
    const id = await funded(1_000, { allowShort: true });
    expect((await place(id, { side: 'SELL', quantity: 2 })).status).toBe('NEW');
    await t.app.orderFills.match([tick('150.00')]);
    expect((await books(id)).quantity).toBe(-2);
  });

  it('returns the first order for a repeated clientOrderId and places nothing more', async () => {
    const id = await funded(10_000);
    const first = await place(id, { clientOrderId: 'abc-1', quantity: 2 });
    const again = await place(id, { clientOrderId: 'abc-1', quantity: 5, type: 'LIMIT', limitPrice: 1 });
    expect(again.id).toBe(first.id);
    expect(again.quantity).toBe(2);
    expect(await count('orders', 'portfolio_id = $1', [id])).toBe(1);
    expect(await count('trading_events', 'portfolio_id = $1', [id])).toBe(1);
  });

  it('is NOT_FOUND on another user’s portfolio and needs a signed-in user', async () => {
    const id = await funded(1_000);
    const mallory = await signUp(t, 'mallory');
    expect((await fails(PLACE, { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 1, type: 'MARKET' } }, mallory)).extensions!.code).toBe('NOT_FOUND');
    const order = await place(id, { quantity: 1 });
    expect((await fails(CANCEL, { id: order.id }, mallory)).extensions!.code).toBe('NOT_FOUND');
    expect((await fails(CANCEL, { id: randomUUID() }, mallory)).extensions!.code).toBe('NOT_FOUND');
    expect((await t.graphql(PLACE, { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 1, type: 'MARKET' } })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('cash an open buy order holds', () => {
  it('cannot be withdrawn or transferred away until the order is canceled', async () => {
    const id = await funded(1000);
    const other = await funded(1);
    const order = await place(id, { type: 'LIMIT', limitPrice: 100, quantity: 5, timeInForce: 'GTC' });
    expect(order.reservedAmount).toBe(501); // 5 × 100 + the 1.00 minimum commission
    const withdraw = (amount: number) => t.graphql(WITHDRAW, { input: { portfolioId: id, amount, idempotencyKey: randomUUID() } }, ada.headers);
    const refused = await withdraw(500);
    expect(refused.errors![0]).toMatchObject({
      message: 'Insufficient funds: USD cash is 1000, of which 501 is reserved by open buy orders; this needs 500',
      extensions: { code: 'INSUFFICIENT_FUNDS' },
    });
    const transfer = await t.graphql(TRANSFER, { input: { fromPortfolioId: id, toPortfolioId: other, amount: 500, idempotencyKey: randomUUID() } }, ada.headers);
    expect(transfer.errors![0]!.extensions!.code).toBe('INSUFFICIENT_FUNDS');
    expect((await withdraw(499)).errors).toBeUndefined();
    expect((await books(id)).cash.toNumber()).toBe(501);
    await ok(CANCEL, { id: order.id });
    expect((await withdraw(501)).errors).toBeUndefined();
    expect((await books(id)).cash.toNumber()).toBe(0);
  });
});

describe('cancelOrder', () => {
  it('cancels an open order, releases its buying power, logs CANCELED, and refuses to cancel a final one', async () => {
    const id = await funded(1_000);
    const order = await place(id, { type: 'LIMIT', limitPrice: 90, quantity: 10 });
    const canceled = (await ok(CANCEL, { id: order.id })).cancelOrder;
    expect(canceled).toMatchObject({ status: 'CANCELED', reservedAmount: 0 });
    expect(await count('trading_events', `order_id = $1 AND type = 'CANCELED'`, [order.id])).toBe(1);
    // All 1,000 is buying power again.
    expect((await place(id, { type: 'LIMIT', limitPrice: 99.8, quantity: 10 })).status).toBe('NEW');
    const again = await fails(CANCEL, { id: order.id });
    expect(again.extensions!.code).toBe('BAD_USER_INPUT');
    expect(again.message).toMatch(/the order is CANCELED and can no longer be canceled/);
    await t.app.orderFills.match([tick('180.00')]);
  });
});

describe('the matching engine against the books', () => {
  it('fills an order larger than a tick’s liquidity over several ticks, releasing the reservation in proportion', async () => {
    const id = await funded(100_000);
    const order = await place(id, { quantity: 100 });
    // 10 % of 600 shares traded: 60 now, 40 on the next tick.
    await t.app.orderFills.match([tick('100.00', 600)]);
    let [current] = await orders(id);
    expect(current).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 60 });
    expect(current.reservedAmount).toBeCloseTo(order.reservedAmount * 0.4, 2);
    await t.app.orderFills.match([tick('110.00', 600)]);
    [current] = await orders(id);
    expect(current).toMatchObject({ status: 'FILLED', filledQuantity: 100, reservedAmount: 0 });
    expect(current.fills.map((f: any) => [f.quantity, f.price, f.commission])).toEqual([[60, 100.1, 1], [40, 110.11, 0]]);
    // (60 × 100.1 + 40 × 110.11) / 100
    expect(current.averageFillPrice).toBe(104.104);
    expect((await books(id)).total.toFixed()).toBe('100000');
    const events = await t.user.sql.query<{ type: string }>(`SELECT type::text FROM trading_events WHERE order_id = $1 ORDER BY id`, [order.id]);
    expect(events.map((e) => e.type)).toEqual(['PLACED', 'PARTIALLY_FILLED', 'FILLED']);
  });

  it('fills nothing twice when the same tick is delivered twice', async () => {
    const id = await funded(100_000);
    await place(id, { quantity: 100, timeInForce: 'GTC' });
    const same = tick('100.00', 500);
    expect((await t.app.orderFills.match([same])).fills).toBe(1);
    const second = await t.app.orderFills.match([same]);
    expect(second).toMatchObject({ fills: 0, duplicates: 1 });
    const [current] = await orders(id);
    expect(current.filledQuantity).toBe(50);
    expect(await count('trade_execution_log', 'portfolio_id = $1', [id])).toBe(1);
    await ok(CANCEL, { id: current.id });
  });

  it('fills a limit order only when a tick crosses it, and cancels IOC and FOK orders the first tick cannot satisfy', async () => {
    const id = await funded(100_000);
    const limit = await place(id, { type: 'LIMIT', limitPrice: 95, quantity: 5, timeInForce: 'GTC' });
    await t.app.orderFills.match([tick('96.00')]);
    expect((await orders(id))[0].status).toBe('NEW');
    await t.app.orderFills.match([tick('94.50')]);
    const [filled] = await orders(id);
    expect(filled).toMatchObject({ id: limit.id, status: 'FILLED' });
    // 94.50 + 10 bps = 94.5945, within the limit.
    expect(filled.averageFillPrice).toBe(94.5945);

    const ioc = await place(id, { quantity: 100, timeInForce: 'IOC' });
    const fok = await place(id, { quantity: 100, timeInForce: 'FOK' });
    await t.app.orderFills.match([tick('100.00', 300)]);
    const byId = new Map<string, any>((await orders(id)).map((o: any) => [o.id, o]));
    expect(byId.get(ioc.id)).toMatchObject({ status: 'CANCELED', filledQuantity: 30, reservedAmount: 0 });
    expect(byId.get(ioc.id).rejectReason).toMatch(/^IOC: /);
    expect(byId.get(fok.id)).toMatchObject({ status: 'CANCELED', filledQuantity: 0, reservedAmount: 0 });
    expect(byId.get(fok.id).rejectReason).toMatch(/^FOK: /);
  });

  it('rejects a buy at fill when the cash was withdrawn meanwhile, writing no trade', async () => {
    const id = await funded(1_000);
    const order = await place(id, { quantity: 4 });
    await t.user.sql.query(`INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date) VALUES ($1, 'USD', 10, -990, 'WITHDRAWAL', CURRENT_DATE)`, [id]);
    expect((await t.app.orderFills.match([tick('190.00')])).rejected).toBe(1);
    const [current] = await orders(id);
    expect(current).toMatchObject({ id: order.id, status: 'REJECTED', reservedAmount: 0 });
    expect(current.rejectReason).toMatch(/^at fill: buying power 10\.00 USD/);
    expect(await count('trade_execution_log', 'portfolio_id = $1', [id])).toBe(0);
  });

  it('expires DAY orders once their New York session has closed, releasing the reservation; GTC orders carry over', async () => {
    const id = await funded(10_000);
    const day = await place(id, { type: 'LIMIT', limitPrice: 50, quantity: 10 });
    const gtc = await place(id, { type: 'LIMIT', limitPrice: 50, quantity: 10, timeInForce: 'GTC' });
    expect(await t.app.orderFills.expireDue(new Date(new Date(day.expiresAt).getTime() - 1000))).toBe(0);
    expect(await t.app.orderFills.expireDue(new Date(new Date(day.expiresAt).getTime() + 1000))).toBeGreaterThanOrEqual(1);
    const byId = new Map<string, any>((await orders(id)).map((o: any) => [o.id, o]));
    expect(byId.get(day.id)).toMatchObject({ status: 'EXPIRED', reservedAmount: 0 });
    expect(byId.get(day.id).rejectReason).toMatch(/^DAY order: the New York session closed at \d{4}-\d{2}-\d{2} (16|13):00/);
    expect(byId.get(gtc.id)).toMatchObject({ status: 'NEW', expiresAt: null });
    expect(await count('trading_events', `order_id = $1 AND type = 'EXPIRED'`, [day.id])).toBe(1);
    expect((await orders(id, 'EXPIRED')).map((o: any) => o.id)).toEqual([day.id]);
  });
});

describe('Portfolio.orders', () => {
  it('pages newest first with a cursor and filters by status', async () => {
    const id = await funded(100_000);
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push(await place(id, { type: 'LIMIT', limitPrice: 10 + i, quantity: 1, timeInForce: 'GTC' }));
    const page1 = (await ok(ORDERS, { id, first: 2 })).portfolio.orders;
    expect(page1.edges.map((e: any) => e.node.id)).toEqual([placed[2].id, placed[1].id]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await ok(ORDERS, { id, first: 2, after: page1.pageInfo.endCursor })).portfolio.orders;
    expect(page2.edges.map((e: any) => e.node.id)).toEqual([placed[0].id]);
    await ok(CANCEL, { id: placed[1].id });
    expect((await orders(id, 'CANCELED')).map((o: any) => o.id)).toEqual([placed[1].id]);
    expect((await fails(ORDERS, { id, after: 'bm9wZQ' })).extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('orderUpdated', () => {
  it('pushes every status and fill change to the owner, and is NOT_FOUND for anyone else', async () => {
    const id = await funded(100_000);
    const wsUrl = t.url.replace('http', 'ws');
    const owner = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: ada.headers.authorization } });
    const mallory = await signUp(t, 'eve');
    const other = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: mallory.headers.authorization } });
    try {
      const seen: any[] = [];
      const stop = owner.subscribe({ query: ORDER_UPDATED, variables: { portfolioId: id } }, { next: (v) => seen.push(v), error: (e) => seen.push({ error: e }), complete: () => undefined });
      // The stream has no first value: probe until the subscription is live, then start.
      const probe = { id: randomUUID(), portfolioId: id, clientOrderId: null, symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 1, filledQuantity: 0, limitPrice: null, stopPrice: null,
        timeInForce: 'DAY', status: 'NEW', rejectReason: null, averageFillPrice: null, currency: 'USD', reservedAmount: 0, expiresAt: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
      while (seen.length === 0) {
        await t.app.bus.publish(orderTopic(id), probe);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const order = await place(id, { quantity: 100 });
      await t.app.orderFills.match([tick('100.00', 600)]);
      await t.app.orderFills.match([tick('100.00', 600)]);
      const mine = () => seen.filter((v) => v.data?.orderUpdated?.id === order.id).map((v) => [v.data.orderUpdated.status, v.data.orderUpdated.filledQuantity]);
      const deadline = Date.now() + 5000;
      while (mine().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(mine()).toEqual([['NEW', 0], ['PARTIALLY_FILLED', 60], ['FILLED', 100]]);
      // One context serves the whole subscription: each event still carries its own fills.
      const fills = seen.filter((v) => v.data?.orderUpdated?.id === order.id).map((v) => v.data.orderUpdated.fills.map((f: any) => f.quantity));
      expect(fills).toEqual([[], [60], [60, 40]]);
      stop();

      const refused = await new Promise<any>((resolve) => {
        other.subscribe({ query: ORDER_UPDATED, variables: { portfolioId: id } }, { next: (v) => resolve(v.errors ?? v), error: resolve, complete: () => undefined });
      });
      expect((Array.isArray(refused) ? refused[0] : refused).extensions?.code).toBe('NOT_FOUND');
    } finally {
      await Promise.all([owner.dispose(), other.dispose()]);
    }
  });
});
