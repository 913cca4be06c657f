import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const PRICES = `subscription($symbols: [String!]!) { priceUpdated(symbols: $symbols) { symbol price previousClose change changePercent volume timestamp } }`;

let t: TestApp;
let wsUrl: string;
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env: { WS_MESSAGE_BURST: '1000' } });
  wsUrl = t.url.replace('http', 'ws');
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await t?.close();
});

function client(connectionParams?: Record<string, unknown>): Client {
  const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  clients.push(c);
  return c;
}

/** Subscribes and collects results until `count` arrived (or an error). */
function take(c: Client, query: string, variables: Record<string, unknown>, count: number) {
  const results: any[] = [];
  let stop = () => undefined as void;
  const done = new Promise<any[]>((resolve, reject) => {
    stop = c.subscribe({ query, variables }, {
      next: (value) => {
        results.push(value);
        if (results.length === count) resolve(results);
      },
      error: reject,
      complete: () => resolve(results),
    });
  });
  return { done, stop: () => stop(), results };
}

const until = async (condition: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** The errors a subscription ended with: an `error` message, or a `next` carrying errors. */
async function errorsOf(sub: { done: Promise<any[]> }): Promise<any[]> {
  try {
    const results = await sub.done;
    return results[0]?.errors ?? [];
  } catch (errors) {
    return errors as any[];
  }
}

/** A raw socket speaking graphql-transport-ws by hand, for protocol violations. */
function raw(): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ socket, closed }));
    socket.on('error', reject);
  });
}

describe('priceUpdated', () => {
  it('sends the current quote of each symbol first, then every tick, each with every Quote field', async () => {
    const sub = take(client(), PRICES, { symbols: ['aapl', 'MSFT'] }, 3);
    await until(() => sub.results.length === 2);
    // From the latest DAY candle: observed at that session's 16:00 New York close (21:00 UTC in March before DST).
    expect(sub.results.map((r) => r.data.priceUpdated)).toEqual([
      { symbol: 'AAPL', price: 190.5, previousClose: 188, change: 2.5, changePercent: 1.3298, volume: 61000000, timestamp: '2025-03-05T21:00:00.000Z' },
      { symbol: 'MSFT', price: 396, previousClose: 404, change: -8, changePercent: -1.9802, volume: 25000000, timestamp: '2025-03-05T21:00:00.000Z' },
    ]);
    await t.app.publishPrice({ symbol: 'MSFT', price: 397.25, previousClose: 404, change: -6.75, changePercent: -1.6708, volume: 26000000, timestamp: '2025-03-06T15:00:00.000Z' });
    await t.app.publishPrice({ symbol: 'XOM', price: 1, previousClose: null, change: null, changePercent: null, volume: 1, timestamp: '2025-03-06T15:00:00.000Z' });
    const results = await sub.done;
    expect(results[2].data.priceUpdated).toEqual({ symbol: 'MSFT', price: 397.25, previousClose: 404, change: -6.75, changePercent: -1.6708, volume: 26000000, timestamp: '2025-03-06T15:00:00.000Z' });
  });

  it('starts from the cached tick once the live feed has published, and Stock.quote serves it too', async () => {
    await t.app.publishPrice({ symbol: 'XOM', price: 111.5, previousClose: 110.25, change: 1.25, changePercent: 1.1338, volume: 9000000, timestamp: '2025-03-06T16:00:00.000Z' });
    const sub = take(client(), PRICES, { symbols: ['XOM'] }, 1);
    expect((await sub.done)[0].data.priceUpdated).toMatchObject({ symbol: 'XOM', price: 111.5, timestamp: '2025-03-06T16:00:00.000Z' });
    const { data } = await t.graphql(`{ stock(symbol: "XOM") { quote { price previousClose change } } }`);
    expect(data!.stock.quote).toEqual({ price: 111.5, previousClose: 110.25, change: 1.25 });
  });

  it.each([
    ['an unknown symbol', ['NOPE'], 'symbols[0]: no stock has the symbol NOPE'],
    ['no symbols', [], 'symbols: must name at least one symbol'],
    ['1,000 symbols', Array.from({ length: 1000 }, (_, i) => `S${i}`), 'symbols: must name at most 100 symbols'],
    ['a malformed symbol', ['not a symbol'], 'symbols[0]: must be 1-10 letters, digits, "." or "-"'],
  ])('answers %s with a BAD_USER_INPUT error and keeps the connection serving', async (_, symbols, message) => {
    const c = client();
    const errors = await errorsOf(take(c, PRICES, { symbols }, 1));
    expect(errors[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    const good = take(c, PRICES, { symbols: ['AAPL'] }, 1);
    expect((await good.done)[0].data.priceUpdated.symbol).toBe('AAPL');
  });

  it('answers a malformed subscription with a validation error', async () => {
    const errors = await errorsOf(take(client(), `subscription { priceUpdated(symbols: ["AAPL"]) { nope } }`, {}, 1));
    expect(errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(errors[0].message).toMatch(/Cannot query field "nope"/);
  });

  it('lets one connection hold 200 subscriptions and refuses the 201st with RATE_LIMITED', async () => {
    const c = client();
    const subs = Array.from({ length: 200 }, () => take(c, PRICES, { symbols: ['AAPL'] }, 1));
    await Promise.all(subs.map((s) => s.done));
    const errors = await errorsOf(take(c, PRICES, { symbols: ['AAPL'] }, 1));
    expect(errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    subs.forEach((s) => s.stop());
  });
});

describe('connection auth and protocol', () => {
  it('accepts a valid access token in connection_init', async () => {
    const user = await signUp(t, 'ws');
    const sub = take(client({ authorization: `Bearer ${user.accessToken}` }), PRICES, { symbols: ['AAPL'] }, 1);
    expect((await sub.done)[0].data.priceUpdated.symbol).toBe('AAPL');
  });

  it('closes with 4403 when connection_init carries a bad token', async () => {
    const { socket, closed } = await raw();
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer forged.token.here' } }));
    expect((await closed).code).toBe(4403);
  });

  it('closes with 4401 when a subscribe arrives before connection_init', async () => {
    const { socket, closed } = await raw();
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: PRICES, variables: { symbols: ['AAPL'] } } }));
    expect((await closed).code).toBe(4401);
  });

  it('closes with 4400 on a message that is not the protocol', async () => {
    const { socket, closed } = await raw();
    socket.send('{"this is": "garbage"');
    expect((await closed).code).toBe(4400);
  });

  it('closes with 4409 when a subscription id is reused while active', async () => {
    const { socket, closed } = await raw();
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const subscribe = JSON.stringify({ id: 'same', type: 'subscribe', payload: { query: PRICES, variables: { symbols: ['AAPL'] } } });
    socket.send(subscribe);
    socket.send(subscribe);
    expect((await closed).code).toBe(4409);
  });

  it('closes with 4408 when no connection_init arrives in time', async () => {
    const { closed } = await raw();
    expect((await closed).code).toBe(4408);
  }, 10_000);
});
