import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app.js';
import { scrape } from '../support/prometheus.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const PRICES = `subscription { priceUpdated(symbols: ["AAPL"]) { symbol price change changePercent volume timestamp } }`;
const SUBSCRIPTIONS = 200;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env: { WS_MAX_BUFFERED_BYTES: '65536', WS_MESSAGE_BURST: '1000' } });
});
afterAll(() => t?.close());

/** A graphql-transport-ws client with `count` subscriptions to AAPL ticks, each counted. */
async function subscriber(count: number): Promise<{ socket: WebSocket; received: () => number; closed: Promise<number> }> {
  const socket = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
  let received = 0;
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.on('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') resolve();
      if (message.type === 'next') received += 1;
    }),
  );
  for (let id = 0; id < count; id += 1) socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: PRICES } }));
  // Each subscription's first message is the current price.
  while (received < count) await new Promise((resolve) => setTimeout(resolve, 10));
  return { socket, received: () => received - count, closed };
}

describe('a client that stops reading its socket', () => {
  it('is closed (4413, then cut) once its unsent messages pass the limit, while other clients keep getting every tick', async () => {
    const healthy = await subscriber(1);
    const stalled = await subscriber(SUBSCRIPTIONS);
    // Stop reading: the kernel buffers fill, then the server-side ws buffer grows.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = t.app.websocketClients();

    let published = 0;
    // 200 subscriptions x ~200 bytes per tick: a few hundred ticks fill the kernel buffers, then graphql-ws
    // waits on the socket and one subscription's queue of 1,000 events overflows.
    while (t.app.websocketClients() === before && published < 5000) {
      await t.app.publishPrice({ symbol: 'AAPL', price: 190 + published / 100, previousClose: 189, change: 1, changePercent: 0.5, volume: published, timestamp: new Date().toISOString() });
      published += 1;
      if (published % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(t.app.websocketClients()).toBe(before - 1);
    // The healthy client got every tick published.
    const deadline = Date.now() + 5000;
    while (healthy.received() < published && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(healthy.received()).toBe(published);
    (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    // 4413 when the close frame got through before the grace period ended the connection; 1006 when it was cut first.
    expect([4413, 1006]).toContain(await stalled.closed);
    // The events it never got are counted (the healthy client got all of its own), by why they were dropped.
    const metrics = await scrape(t.url.replace('/graphql', '/metrics'));
    expect(metrics.value('marketgraph_slow_consumer_disconnects_total')).toBe(1);
    const dropped = metrics.all('marketgraph_events_dropped_total');
    for (const sample of dropped) expect(['queue_full', 'socket_buffer_full', 'socket_closed']).toContain(sample.labels.reason);
    expect(dropped.reduce((sum, sample) => sum + sample.value, 0)).toBeGreaterThan(0);
    healthy.socket.close();
  }, 60_000);
});
