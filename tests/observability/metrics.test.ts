import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app.js';
import { parsePrometheus, scrape } from '../support/prometheus.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');

const metricsUrl = (t: TestApp) => t.url.replace('/graphql', '/metrics');
const OPERATION_SECONDS = 'marketgraph_graphql_operation_duration_seconds_count';

describe('GET /metrics after a known sequence of operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  });
  afterAll(() => t?.close());

  it('counts operations by name and type, errors by code and HTTP requests by status, in the Prometheus text format', async () => {
    await t.data('query StockName { stock(symbol: "AAPL") { name } }');
    await t.data('query StockName { stock(symbol: "MSFT") { name } }');
    await t.data('{ __typename }');
    await t.firstError('query Me { me { id } }');
    await fetch(t.url.replace('/graphql', '/nowhere'));
    const metrics = await scrape(metricsUrl(t));
    expect(metrics.types.get('marketgraph_graphql_operation_duration_seconds')).toBe('histogram');
    expect(metrics.value(OPERATION_SECONDS, { operation_name: 'StockName', operation_type: 'query', transport: 'http' })).toBe(2);
    expect(metrics.value(OPERATION_SECONDS, { operation_name: '(anonymous)', operation_type: 'query', transport: 'http' })).toBe(1);
    expect(metrics.value(OPERATION_SECONDS, { operation_name: 'Me' })).toBe(1);
    expect(metrics.value('marketgraph_graphql_errors_total', { code: 'UNAUTHENTICATED', transport: 'http' })).toBe(1);
    expect(metrics.value('marketgraph_http_requests_total', { route: '/graphql', method: 'POST', status: '200' })).toBe(4);
    expect(metrics.value('marketgraph_http_requests_total', { route: 'other', method: 'GET', status: '404' })).toBe(1);
    // The latency histogram is cumulative: the +Inf bucket holds every observation.
    expect(metrics.value('marketgraph_graphql_operation_duration_seconds_bucket', { operation_name: 'StockName', le: '+Inf' })).toBe(2);
  });

  it('reports query durations per database, and pool connections in use, idle and waiting on PostgreSQL', async () => {
    await t.data('{ stock(symbol: "AAPL") { name } }');
    const metrics = await scrape(metricsUrl(t));
    expect(metrics.value('marketgraph_db_query_duration_seconds_count', { database: 'stock' })).toBeGreaterThan(0);
    if (t.app.stockDb.kind === 'pg') {
      for (const state of ['in_use', 'idle', 'waiting']) expect(metrics.value('marketgraph_db_pool_connections', { database: 'stock', state })).toBeGreaterThanOrEqual(0);
      expect(metrics.value('marketgraph_db_pool_connections', { database: 'user', state: 'idle' })).toBeGreaterThanOrEqual(0);
    }
  });

  it('counts cache hits and misses by key namespace, and events published and delivered by topic', async () => {
    const before = await scrape(metricsUrl(t));
    const cacheCount = (scrapeResult: typeof before, result: string) => scrapeResult.value('marketgraph_cache_requests_total', { cache: 'probe', result }) ?? 0;
    await t.app.cache.get('probe:one');
    await t.app.cache.set('probe:one', { x: 1 }, 60);
    await t.app.cache.getMany(['probe:one', 'probe:two']);
    const received: unknown[] = [];
    const stop = await t.app.bus.subscribe('probe:topic', (payload) => received.push(payload));
    await t.app.bus.publish('probe:topic', { n: 1 });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await stop();
    const after = await scrape(metricsUrl(t));
    expect(cacheCount(after, 'hit') - cacheCount(before, 'hit')).toBe(1);
    expect(cacheCount(after, 'miss') - cacheCount(before, 'miss')).toBe(2);
    expect(after.value('marketgraph_events_published_total', { topic: 'probe' })).toBe(1);
    expect(after.value('marketgraph_events_delivered_total', { topic: 'probe' })).toBe(1);
  });

  it('counts the stock row cache of the process: a first read misses, the next one hits', async () => {
    t.app.stockRows.invalidate();
    const before = await scrape(metricsUrl(t));
    const rows = (scraped: typeof before, result: string) => scraped.value('marketgraph_cache_requests_total', { cache: 'stock_rows', result }) ?? 0;
    await t.data('{ stock(symbol: "MSFT") { name } }');
    await t.data('{ stock(symbol: "MSFT") { name } }');
    const after = await scrape(metricsUrl(t));
    expect(rows(after, 'miss') - rows(before, 'miss')).toBeGreaterThanOrEqual(1);
    expect(rows(after, 'hit') - rows(before, 'hit')).toBeGreaterThanOrEqual(1);
  });

  it('counts job ticks by job and outcome, with their durations', async () => {
    const job = (name: string, run: () => Promise<unknown>) => ({ name, cron: '0 0 1 1 *', lockTtlMs: 5_000, run });
    await t.app.scheduler.tick(job('probe-ok', async () => 1));
    await t.app.scheduler.tick(job('probe-ok', async () => 1));
    await t.app.scheduler.tick(job('probe-fails', async () => Promise.reject(new Error('nope'))));
    const metrics = await scrape(metricsUrl(t));
    expect(metrics.value('marketgraph_job_runs_total', { job: 'probe-ok', outcome: 'ran' })).toBe(2);
    expect(metrics.value('marketgraph_job_runs_total', { job: 'probe-fails', outcome: 'failed' })).toBe(1);
    expect(metrics.value('marketgraph_job_duration_seconds_count', { job: 'probe-ok', outcome: 'ran' })).toBe(2);
  });

  it('reports open websockets and active subscriptions by field, back to zero when the socket closes', async () => {
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: 'subscription { priceUpdated(symbols: ["AAPL"]) { symbol } }' }, { next: () => resolve(), error: reject, complete: () => undefined });
    });
    const during = await scrape(metricsUrl(t));
    expect(during.value('marketgraph_websocket_connections')).toBe(1);
    expect(during.value('marketgraph_active_subscriptions', { field: 'priceUpdated' })).toBe(1);
    await client.dispose();
    let after = await scrape(metricsUrl(t));
    for (let i = 0; i < 100 && after.value('marketgraph_websocket_connections') !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await scrape(metricsUrl(t));
    }
    expect(after.value('marketgraph_websocket_connections')).toBe(0);
    expect(after.value('marketgraph_active_subscriptions', { field: 'priceUpdated' })).toBe(0);
  });

  it('includes the process\'s event-loop lag and memory', async () => {
    const metrics = await scrape(metricsUrl(t));
    expect(metrics.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

describe('bounded labels, rate limits and a metrics token', () => {
  let t: TestApp;
  const token = 'metrics-token-0123456789';
  beforeAll(async () => {
    t = await startTestApp({
      env: { METRICS_MAX_OPERATION_NAMES: '2', METRICS_TOKEN: token, RATE_LIMITS: 'on', RATE_LIMIT_ANONYMOUS_PER_HOUR: '4', RATE_LIMIT_AVERAGE_COST: '1' },
    });
  });
  afterAll(() => t?.close());

  it('labels the first names it sees and puts every later one under (other), so clients cannot create series without end', async () => {
    for (const name of ['First', 'Second', 'Third', 'Fourth']) await t.graphql(`query ${name} { __typename }`);
    const metrics = await scrape(metricsUrl(t), { authorization: `Bearer ${token}` });
    const names = metrics.all(OPERATION_SECONDS).map((sample) => sample.labels.operation_name);
    expect(names.sort()).toEqual(['(other)', 'First', 'Second']);
    expect(metrics.value(OPERATION_SECONDS, { operation_name: '(other)' })).toBe(2);
  });

  it('counts operations refused by a request budget, and their RATE_LIMITED errors', async () => {
    // The previous test spent the anonymous budget of 4 requests.
    expect((await t.firstError('query Fifth { __typename }')).extensions?.code).toBe('RATE_LIMITED');
    const metrics = await scrape(metricsUrl(t), { authorization: `Bearer ${token}` });
    expect(metrics.value('marketgraph_rate_limit_rejections_total')).toBe(1);
    expect(metrics.value('marketgraph_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
  });

  it('answers 401 without the bearer token or with a wrong one', async () => {
    expect((await fetch(metricsUrl(t))).status).toBe(401);
    expect((await fetch(metricsUrl(t), { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });
});

describe('METRICS_PORT', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_PORT: '0' } });
  });
  afterAll(() => t?.close());

  it('serves /metrics on its own port and not on the API port', async () => {
    await t.data('query Probe { __typename }');
    const url = t.app.metricsUrl()!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(url).port).not.toBe(new URL(t.url).port);
    const metrics = await scrape(url);
    expect(metrics.value(OPERATION_SECONDS, { operation_name: 'Probe' })).toBe(1);
    expect((await fetch(metricsUrl(t))).status).toBe(404);
  });
});

describe('the text-format parser the tests use', () => {
  it('refuses malformed lines, so a broken exposition cannot pass', () => {
    expect(() => parsePrometheus('good 1\nbad line here\n')).toThrow(/not a sample line/);
    expect(() => parsePrometheus('m{a="1" 2\n')).toThrow();
    expect(parsePrometheus('m{a="x\\"y"} +Inf\n').value('m', { a: 'x"y' })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('production without METRICS_TOKEN', () => {
  it('refuses /metrics on the API port with 403 and says how to turn it on', async () => {
    const { createServer } = await import('node:http');
    const { Metrics } = await import('../../src/observability/metrics.js');
    const { createMetricsRoute } = await import('../../src/observability/metrics-endpoint.js');
    const route = createMetricsRoute(new Metrics(), { openWithoutToken: false });
    const server = createServer((req, res) => void route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('METRICS_TOKEN or METRICS_PORT');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
