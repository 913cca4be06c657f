import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app.js';

// Shared subscriptions' ticks skip graphql-ws's per-message path: the bus's delivery loop writes the `next`
// frame straight to each socket (src/realtime/shared-execution.ts). These tests read the raw frames.

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const PRICES = `subscription($symbols: [String!]!) { priceUpdated(symbols: $symbols) { symbol price volume } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env: { WS_MESSAGE_BURST: '1000' } });
});
afterAll(() => t?.close());

const until = async (condition: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('timed out waiting');
};

interface Client {
  socket: WebSocket;
  /** Every frame received after connection_ack, as sent. */
  frames: string[];
  subscribe(id: string, variables: Record<string, unknown>, query?: string): void;
  /** The frames of one subscription, parsed. */
  of(id: string): any[];
  /** Sends a ping and waits for its pong: every message sent before it has been handled by the server. */
  roundTrip(): Promise<void>;
  close(): void;
}

async function connect(): Promise<Client> {
  const socket = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
  const frames: string[] = [];
  let pongs = 0;
  let acked = false;
  socket.on('message', (data) => {
    const text = data.toString();
    const message = JSON.parse(text);
    if (message.type === 'connection_ack') acked = true;
    else if (message.type === 'pong') pongs += 1;
    else frames.push(text);
  });
  await new Promise((resolve) => socket.on('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await until(() => acked);
  return {
    socket,
    frames,
    subscribe: (id, variables, query = PRICES) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    of: (id) => frames.map((frame) => JSON.parse(frame)).filter((message) => message.id === id),
    async roundTrip() {
      const before = pongs;
      socket.send(JSON.stringify({ type: 'ping' }));
      await until(() => pongs > before);
    },
    close: () => socket.close(),
  };
}

const tick = (symbol: string, volume: number) =>
  t.app.publishPrice({ symbol, price: 100 + volume / 100, previousClose: 100, change: volume / 100, changePercent: volume / 100, volume, timestamp: new Date().toISOString() });

describe('direct delivery of shared subscription ticks', () => {
  it('gives every subscriber each tick exactly once, in publish order, after its current quote, all written straight to the sockets', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect()));
    // Two subscriptions per socket with client-chosen ids, one of them with characters JSON must escape.
    clients.forEach((client, i) => {
      client.subscribe(`a-${i}`, { symbols: ['AAPL'] });
      client.subscribe(`"b\u2028${i}"`, { symbols: ['AAPL'] });
    });
    await until(() => clients.every((client) => client.frames.length === 2));
    // A first tick reaches everyone, so every subscription has sent its current quote and waits for the next.
    await tick('AAPL', 1);
    await until(() => clients.every((client) => client.frames.length === 4));

    const directBefore = t.app.websocketDirectFrames();
    const volumes = Array.from({ length: 30 }, (_, i) => 2 + i);
    for (const volume of volumes) await tick('AAPL', volume);
    await until(() => clients.every((client) => client.frames.length === 4 + 2 * volumes.length));
    await clients[0]!.roundTrip();

    for (const [i, client] of clients.entries()) {
      for (const id of [`a-${i}`, `"b\u2028${i}"`]) {
        const received = client.of(id);
        expect(received.every((message) => message.type === 'next')).toBe(true);
        // The current quote (from the fixture's latest candle), then 1, 2, ... 31, each once.
        expect(received.map((message) => message.payload.data.priceUpdated.volume)).toEqual([61000000, 1, ...volumes]);
      }
    }
    // All but the first subscriber of each tick, whose frame goes through graphql-ws while the shared execution settles.
    expect(t.app.websocketDirectFrames() - directBefore).toBeGreaterThanOrEqual((clients.length * 2 - 1) * volumes.length);
    clients.forEach((client) => client.close());
  });

  it('sends nothing more for a subscription once the client completes it, while the socket’s other subscription keeps its ticks', async () => {
    const client = await connect();
    client.subscribe('stays', { symbols: ['AAPL'] });
    client.subscribe('leaves', { symbols: ['AAPL'] });
    await until(() => client.frames.length === 2);
    await tick('AAPL', 100);
    await until(() => client.frames.length === 4);

    client.socket.send(JSON.stringify({ id: 'leaves', type: 'complete' }));
    await client.roundTrip();
    for (let volume = 101; volume <= 110; volume += 1) await tick('AAPL', volume);
    await until(() => client.of('stays').length === 12);
    await client.roundTrip();

    // After the current quote (the last tick an earlier test published): 100, then nothing.
    expect(client.of('leaves').slice(1).map((message) => message.payload.data.priceUpdated.volume)).toEqual([100]);
    // The client ended it: the server sends no `complete` back (graphql-transport-ws).
    expect(client.of('leaves').every((message) => message.type === 'next')).toBe(true);
    expect(client.of('stays').slice(1).map((message) => message.payload.data.priceUpdated.volume)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
    client.close();
  });

  it('gives subscriptions with other variables or another selection their own data', async () => {
    const client = await connect();
    client.subscribe('aapl', { symbols: ['AAPL'] });
    client.subscribe('msft', { symbols: ['MSFT'] });
    client.subscribe('both', { symbols: ['AAPL', 'MSFT'] });
    client.subscribe('symbol-only', { symbols: ['AAPL'] }, `subscription($symbols: [String!]!) { priceUpdated(symbols: $symbols) { symbol } }`);
    await until(() => client.frames.length === 5);
    await tick('AAPL', 200);
    await tick('MSFT', 201);
    await until(() => client.frames.length === 10);
    await client.roundTrip();

    const ticks = (id: string) => client.of(id).slice(id === 'both' ? 2 : 1).map((message) => message.payload.data.priceUpdated);
    expect(ticks('aapl')).toEqual([{ symbol: 'AAPL', price: 102, volume: 200 }]);
    expect(ticks('msft')).toEqual([{ symbol: 'MSFT', price: 102.01, volume: 201 }]);
    expect(ticks('both')).toEqual([
      { symbol: 'AAPL', price: 102, volume: 200 },
      { symbol: 'MSFT', price: 102.01, volume: 201 },
    ]);
    expect(ticks('symbol-only')).toEqual([{ symbol: 'AAPL' }]);
    client.close();
  });

  it('writes each frame byte for byte as graphql-ws sends the same result on its own path, with the id the client chose', async () => {
    const direct = await connect();
    const ids = ['1', 'ünï-\\"côdé"\u2028', '{"id":"forged"}'];
    ids.forEach((id) => direct.subscribe(id, { symbols: ['AAPL'] }));
    await until(() => direct.frames.length === ids.length);
    await tick('AAPL', 300);
    await until(() => direct.frames.length === 2 * ids.length);
    const directBefore = t.app.websocketDirectFrames();
    await tick('AAPL', 301);
    await until(() => direct.frames.length === 3 * ids.length);
    expect(t.app.websocketDirectFrames() - directBefore).toBeGreaterThanOrEqual(ids.length - 1);

    // A new subscriber's first message is the cached quote, i.e. this very tick, executed and sent by graphql-ws.
    const normal = await connect();
    ids.forEach((id) => normal.subscribe(id, { symbols: ['AAPL'] }));
    await until(() => normal.frames.length === ids.length);
    const lastDirect = (id: string) => direct.frames.filter((frame) => JSON.parse(frame).id === id).at(-1);
    for (const id of ids) expect(lastDirect(id)).toBe(normal.frames.find((frame) => JSON.parse(frame).id === id));
    const data = { priceUpdated: { symbol: 'AAPL', price: 103.01, volume: 301 } };
    expect(ids.map(lastDirect)).toEqual(ids.map((id) => JSON.stringify({ id, type: 'next', payload: { data } })));
    direct.close();
    normal.close();
  });
});
