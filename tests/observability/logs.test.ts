import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { MemoryJobLock } from '../../src/jobs/job-lock.js';
import { routeConsoleToLogger } from '../../src/observability/console.js';
import { signUp } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');

let t: TestApp;
let log: CapturedLog;
beforeAll(async () => {
  log = captureLog('debug');
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), logger: log.logger });
});
afterAll(() => t?.close());

const operationLines = (requestId: string) => log.find((line) => line.msg.startsWith('graphql operation') && line.requestId === requestId);

async function post(query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { response, body: (await response.json()) as { data?: any; errors?: { extensions: Record<string, unknown> }[] } };
}

describe('request ids', () => {
  it('echoes the caller\'s x-request-id and logs one line for the operation with its name, type, duration, cost, user, client and trace id', async () => {
    const user = await signUp(t, 'logs');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { response } = await post('query StockName { stock(symbol: "AAPL") { name } }', {
      'x-request-id': 'req-abc-123',
      origin: 'http://localhost:5173',
      authorization: user.headers.authorization,
      'apollographql-client-name': 'web',
      'apollographql-client-version': '1.2.3',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const lines = operationLines('req-abc-123');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      transport: 'http',
      operationName: 'StockName',
      operationType: 'query',
      userId: user.accountId,
      clientName: 'web',
      clientVersion: '1.2.3',
      traceId,
    });
    expect(lines[0]!.cost).toBeGreaterThan(0);
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(lines[0]!.errorCodes).toBeUndefined();
  });

  it('makes up an id when none (or one with a newline or 200 characters) is sent, and returns it in extensions.requestId of every error', async () => {
    for (const sent of [undefined, 'evil\\nline', 'x'.repeat(200)]) {
      const { response, body } = await post('query Me { me { id } }', sent ? { 'x-request-id': sent } : {});
      const id = response.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: id });
      expect(operationLines(id)).toEqual([expect.objectContaining({ operationName: 'Me', errorCodes: ['UNAUTHENTICATED'], userId: null })]);
    }
  });

  it('logs a document that does not parse too, with its error code and no operation name', async () => {
    const { response } = await post('query Broken { stock(', { 'x-request-id': 'req-broken' });
    expect(response.headers.get('x-request-id')).toBe('req-broken');
    expect(operationLines('req-broken')).toEqual([expect.objectContaining({ operationName: null, operationType: null, errorCodes: ['GRAPHQL_PARSE_FAILED'] })]);
  });

  it('gives the error log of an unexpected failure the request id the client saw, and no id to lines outside a request', async () => {
    // A missing table: Prisma fails, the client gets a masked INTERNAL_SERVER_ERROR, the log gets the original.
    await t.stock.sql.exec('ALTER TABLE numeric_filter RENAME TO numeric_filter_gone');
    try {
      const before = log.raw.length;
      const { response, body } = await post('query Filters { numericFilters { key } }', { 'x-request-id': 'req-broken-table' });
      t.app.logger.info('outside any request');
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-broken-table' });
      expect(response.headers.get('x-request-id')).toBe('req-broken-table');
      const lines = log.lines().slice(before);
      const failure = lines.find((line) => line.msg === 'unexpected error while resolving');
      expect(failure).toMatchObject({ level: 50, requestId: 'req-broken-table' });
      expect(JSON.stringify(failure!.err)).toContain('numeric_filter');
      expect(lines.find((line) => line.msg.startsWith('graphql operation'))).toMatchObject({ level: 50, errorCodes: ['INTERNAL_SERVER_ERROR'] });
      expect(lines.find((line) => line.msg === 'outside any request')!.requestId).toBeUndefined();
    } finally {
      await t.stock.sql.exec('ALTER TABLE numeric_filter_gone RENAME TO numeric_filter');
    }
  });
});

describe('secrets', () => {
  it('never writes a password, an access token, a refresh token or an authorization header in a session that registers, logs in, refreshes and logs out', async () => {
    const before = log.raw.length;
    const user = await signUp(t, 'secret');
    const login = await t.data(`mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken } }`, {
      email: user.email,
      password: user.password,
    });
    const refreshed = await t.data(`mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken } }`, { token: login.login.refreshToken });
    // A replayed refresh token ends the sign-in: the error path is logged too.
    await t.graphql(`mutation($token: String!) { refreshToken(token: $token) { accessToken } }`, { token: login.login.refreshToken });
    await t.graphql(`mutation($token: String) { logout(refreshToken: $token) }`, { token: refreshed.refreshToken.refreshToken }, { authorization: `Bearer ${refreshed.refreshToken.accessToken}` });
    await t.graphql(`mutation { login(email: "${user.email}", password: "wrong ${user.password}") { accessToken } }`);
    // Anything that logs a request's headers or a credentials object is redacted by path.
    t.app.logger.warn({ headers: { authorization: `Bearer ${user.accessToken}` }, input: { password: user.password }, refreshToken: user.refreshToken }, 'credentials object');
    const session = log.raw.slice(before).join('\n');
    expect(log.lines().slice(before).filter((line) => line.msg.startsWith('graphql operation')).length).toBeGreaterThanOrEqual(5);
    const secrets = [user.password, user.accessToken, user.refreshToken, login.login.accessToken, login.login.refreshToken, refreshed.refreshToken.accessToken, refreshed.refreshToken.refreshToken];
    for (const secret of secrets) expect(session).not.toContain(secret);
    expect(session).not.toMatch(/Bearer ey/);
    expect(session).toContain('[redacted]');
  });
});

describe('websockets', () => {
  it('logs connect, subscribe, the end of a subscription and disconnect, each naming the socket', async () => {
    const before = log.raw.length;
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const first = await new Promise<unknown>((resolve, reject) => {
      const stop = client.subscribe(
        { query: 'subscription Ticks { priceUpdated(symbols: ["AAPL"]) { symbol price } }' },
        { next: (value) => (stop(), resolve(value)), error: reject, complete: () => undefined },
      );
    });
    expect(first).toMatchObject({ data: { priceUpdated: { symbol: 'AAPL' } } });
    await client.dispose();
    const wsLines = () => log.lines().slice(before).filter((line) => line.transport === 'ws');
    for (let i = 0; i < 100 && !wsLines().some((line) => line.msg === 'websocket disconnected'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = wsLines();
    expect(lines.map((line) => line.msg)).toEqual(['websocket connected', 'websocket subscribed', 'websocket subscription ended', 'websocket disconnected']);
    expect(new Set(lines.map((line) => line.socketId)).size).toBe(1);
    expect(lines[1]).toMatchObject({ operationName: 'Ticks', field: 'priceUpdated' });
    expect(lines[3]).toMatchObject({ code: 1000, subscriptions: 0 });
  });
});

describe('websocket operations', () => {
  it('logs a query over the websocket like one over HTTP and puts its request id in extensions.requestId of its errors', async () => {
    const before = log.raw.length;
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe({ query: 'query WsMe { me { id } }' }, { next: resolve, error: reject, complete: () => undefined });
    });
    await client.dispose();
    const requestId = result.errors[0].extensions.requestId as string;
    expect(result.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(requestId).toMatch(/^ws-/);
    const lines = log.lines().slice(before).filter((line) => line.msg.startsWith('graphql operation'));
    expect(lines).toEqual([expect.objectContaining({ transport: 'ws', requestId, operationName: 'WsMe', operationType: 'query', errorCodes: ['UNAUTHENTICATED'] })]);
  });
});

describe('nothing unstructured in the stream', () => {
  it('routes node-cron\'s own warnings through the logger as JSON without colour codes', async () => {
    const cronLog = captureLog('debug');
    const scheduler = new Scheduler(new MemoryJobLock(), cronLog.logger);
    // node-cron's module-level logger, which every task falls back to: setLogger replaced its console printer.
    const { default: cron } = await import('node-cron');
    const task = cron.createTask('* * * * * *', () => undefined);
    (task as unknown as { logger: { warn(message: string): void } }).logger.warn('\x1b[33mmissed execution at now!\x1b[0m');
    await task.destroy();
    await scheduler.stop();
    expect(cronLog.lines()).toEqual([expect.objectContaining({ level: 40, source: 'node-cron', msg: 'missed execution at now!' })]);
  });

  it('routes console output of libraries through the logger, one JSON line per call, until restored', () => {
    const consoleLog = captureLog('debug');
    const restore = routeConsoleToLogger(consoleLog.logger);
    try {
      console.warn('\x1b[33m[lib]\x1b[0m deprecated option %s', 'x');
      console.error(new Error('boom'));
    } finally {
      restore();
    }
    expect(consoleLog.lines()).toEqual([
      expect.objectContaining({ level: 40, source: 'console', msg: '[lib] deprecated option x' }),
      expect.objectContaining({ level: 50, source: 'console', msg: 'boom', err: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });
});
