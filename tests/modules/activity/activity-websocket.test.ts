import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { captureLog, type CapturedLog } from '../../support/log-capture.js';

const CREATE_KEY = `mutation($name: String!) { createApiKey(name: $name) { apiKey { id } } }`;
const USER_AGENT = 'activity-ws-test/2.0';

/** A graphql-ws socket whose upgrade request carries a user agent, as a browser's does. */
class BrowserLikeSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { 'user-agent': USER_AGENT } });
  }
}

let t: TestApp;
let log: CapturedLog;
let ada: SignedUpUser;
beforeAll(async () => {
  // At info: warn-and-above lines reach the activity log's system_logs, as in production.
  log = captureLog('info');
  t = await startTestApp({ logger: log.logger, env: { ACTIVITY_FLUSH_MS: '60000' } });
  ada = await signUp(t, 'ada');
});
afterAll(() => t?.close());

const flush = () => t.app.activity.writer!.flush();

function client(connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: BrowserLikeSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** The one result of a query or mutation over the socket. */
function execute(ws: Client, query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { extensions?: Record<string, unknown> }[] }> {
  return new Promise((resolve, reject) => {
    let last: any;
    ws.subscribe({ query, variables }, { next: (value) => (last = value), error: reject, complete: () => resolve(last) });
  });
}

async function userActions(action: string) {
  return t.user.sql.query<Record<string, any>>(
    `SELECT action, user_id, session, host(ip) AS ip, user_agent, path, method, status, duration_ms, correlation_id FROM activity.user_action_logs WHERE action = $1 ORDER BY id`,
    [action],
  );
}

describe('mutations over the websocket', () => {
  it('are recorded as user actions like HTTP ones: account, session, address, user agent, status, duration and operation id', async () => {
    const ws = client(ada.headers);
    try {
      expect((await execute(ws, CREATE_KEY, { name: 'over ws' })).data.createApiKey.apiKey.id).toEqual(expect.any(String));
      expect((await execute(ws, CREATE_KEY, { name: '' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      // A query is not a user action.
      await execute(ws, '{ apiKeys { id } }');
    } finally {
      await ws.dispose();
    }
    await flush();
    const rows = await userActions('createApiKey');
    expect(rows).toEqual([
      expect.objectContaining({ user_id: ada.accountId, ip: '127.0.0.1', user_agent: USER_AGENT, path: '/graphql', method: 'WS', status: 'OK', correlation_id: expect.stringMatching(/^ws-/) }),
      expect.objectContaining({ user_id: ada.accountId, method: 'WS', status: 'BAD_USER_INPUT' }),
    ]);
    expect(rows[0]!.session).toEqual(expect.any(String));
    expect(Number(rows[0]!.duration_ms)).toBeGreaterThan(0);
    expect(await userActions('apiKeys')).toEqual([]);
  });

  it('records a sign-in over the websocket as the account that signed in', async () => {
    const ws = client();
    try {
      const result = await execute(ws, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: ada.email, p: ada.password });
      expect(result.data.login.accessToken).toEqual(expect.any(String));
    } finally {
      await ws.dispose();
    }
    await flush();
    expect(await userActions('login')).toEqual([expect.objectContaining({ user_id: ada.accountId, method: 'WS', status: 'OK', user_agent: USER_AGENT })]);
  });
});

describe('a mutation over the websocket refused by its budget', () => {
  it('is recorded with RATE_LIMITED as its status, as over HTTP', async () => {
    const limited = await startTestApp({ env: { RATE_LIMITS: 'on', RATE_LIMIT_ANONYMOUS_PER_HOUR: '50', RATE_LIMIT_FREE_PER_HOUR: '3', RATE_LIMIT_AVERAGE_COST: '1' } });
    try {
      const carol = await signUp(limited, 'carol');
      const ws = createClient({ url: limited.url.replace('http', 'ws'), webSocketImpl: BrowserLikeSocket, connectionParams: carol.headers, retryAttempts: 0, lazy: true });
      const codes: unknown[] = [];
      try {
        for (let n = 0; n < 10 && !codes.includes('RATE_LIMITED'); n += 1) {
          const result = await execute(ws, CREATE_KEY, { name: `k${n}` }).catch((errors: { extensions?: Record<string, unknown> }[]) => ({ errors }));
          codes.push(result.errors?.[0]?.extensions?.code ?? 'OK');
        }
      } finally {
        await ws.dispose();
      }
      expect(codes.at(-1)).toBe('RATE_LIMITED');
      await limited.app.activity.writer!.flush();
      const rows = await limited.user.sql.query<Record<string, any>>(`SELECT status, user_id, method, correlation_id FROM activity.user_action_logs WHERE action = 'createApiKey' ORDER BY id`);
      expect(rows.map((row) => row.status)).toEqual(codes);
      expect(rows.at(-1)).toMatchObject({ status: 'RATE_LIMITED', user_id: carol.accountId, method: 'WS', correlation_id: expect.stringMatching(/^ws-/) });
    } finally {
      await limited.close();
    }
  }, 60_000);
});

describe('an unexpected error', () => {
  async function withApiKeysHidden<T>(run: () => Promise<T>): Promise<T> {
    await t.user.sql.exec('ALTER TABLE api_key RENAME TO api_key_hidden');
    try {
      return await run();
    } finally {
      await t.user.sql.exec('ALTER TABLE api_key_hidden RENAME TO api_key');
    }
  }
  const activityOf = (correlationId: string) =>
    t.user.sql.query<{ source: string; severity: string }>(`SELECT source, severity FROM activity.recent_system_activity WHERE correlation_id = $1`, [correlationId]);

  it('shows up once in the system activity, as its error_logs row with the request id, while stdout keeps both lines', async () => {
    const result = await withApiKeysHidden(() => t.graphql('{ apiKeys { id } }', {}, { ...ada.headers, 'x-request-id': 'once-http' }));
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'once-http' });
    await flush();
    expect(await activityOf('once-http')).toEqual([{ source: 'ERROR', severity: 'ERROR' }]);
    const lines = log.find((line) => line.requestId === 'once-http' && line.level === 50).map((line) => line.msg);
    expect(lines.sort()).toEqual(['graphql operation failed', 'unexpected error while resolving']);
  });

  it('of a websocket operation shows up once too, under its operation id', async () => {
    const ws = client(ada.headers);
    const result = await withApiKeysHidden(() => execute(ws, '{ apiKeys { id } }')).finally(() => ws.dispose());
    const requestId = String(result.errors?.[0]?.extensions?.requestId);
    expect(requestId).toMatch(/^ws-/);
    await flush();
    expect(await activityOf(requestId)).toEqual([{ source: 'ERROR', severity: 'ERROR' }]);
  });

  it('still leaves other warn-and-above lines of the request in system_logs', async () => {
    t.app.logger.child({ requestId: 'other-warning' }).warn('provider answered late');
    await flush();
    expect(await activityOf('other-warning')).toEqual([{ source: 'SYSTEM', severity: 'WARN' }]);
  });
});
