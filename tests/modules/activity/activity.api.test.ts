import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { testServerUrl } from '../../support/databases.js';

const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('activity.api.test: "a locked activity table" needs a second connection to real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite');

const ACTIVITY_FIELDS = 'source timestamp severity component description correlationId metadata';
const SYSTEM_ACTIVITY = `query($first: Int, $after: String, $severity: ActivitySeverity, $source: ActivitySource, $correlationId: String, $from: DateTime, $to: DateTime) {
  systemActivity(first: $first, after: $after, severity: $severity, source: $source, correlationId: $correlationId, from: $from, to: $to) {
    edges { cursor node { ${ACTIVITY_FIELDS} } } pageInfo { hasNextPage endCursor }
  }
}`;
const MY_ACTIVITY = `query($first: Int, $after: String) { myActivity(first: $first, after: $after) { edges { cursor node { ${ACTIVITY_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const CREATE_KEY = `mutation($name: String!) { createApiKey(name: $name) { apiKey { id } } }`;
const CREATE_PORTFOLIO = `mutation { createPortfolio(input: { name: "Main" }) { id } }`;

interface ActivityNode {
  source: string;
  timestamp: string;
  severity: string;
  component: string;
  description: string;
  correlationId: string | null;
  metadata: Record<string, unknown>;
}

let t: TestApp;
let ada: SignedUpUser;
let bob: SignedUpUser;
let admin: { authorization: string };

const flush = () => t.app.activity.writer!.flush();
const headersOf = (user: SignedUpUser, requestId: string) => ({ ...user.headers, 'x-request-id': requestId, 'user-agent': 'activity-test/1.0' });

async function tradingEvent(user: SignedUpUser, type: string): Promise<void> {
  const { createPortfolio } = await t.data(CREATE_PORTFOLIO, {}, user.headers);
  await t.user.sql.query(`INSERT INTO trading_events (portfolio_id, type, payload) VALUES ($1, $2::trading_event_type, $3::jsonb)`, [
    createPortfolio.id,
    type,
    JSON.stringify({ owner: user.email }),
  ]);
}

async function allPages<T>(query: string, variables: Record<string, unknown>, headers: Record<string, string>, field: string): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const data: any = await t.data(query, { ...variables, after }, headers);
    nodes.push(...data[field].edges.map((edge: { node: T }) => edge.node));
    if (!data[field].pageInfo.hasNextPage) return nodes;
    after = data[field].pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

beforeAll(async () => {
  t = await startTestApp({ env: { ACTIVITY_FLUSH_MS: '60000' } });
  ada = await signUp(t, 'ada');
  bob = await signUp(t, 'bob');
  const boss = await signUp(t, 'boss');
  await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
  const { login } = await t.data(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { id } } }`, { e: boss.email, p: boss.password });
  admin = { authorization: `Bearer ${login.accessToken}` };
  await tradingEvent(ada, 'PLACED');
  await tradingEvent(bob, 'FILLED');
  await t.data(CREATE_KEY, { name: 'ada key' }, headersOf(ada, 'ada-req-1'));
  await t.data(CREATE_KEY, { name: 'bob key' }, headersOf(bob, 'bob-req-1'));
  await flush();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('what the activity log records', () => {
  it('writes one user action per mutation with the request id, address, user agent, status and duration, within a flush', async () => {
    const [row] = await t.user.sql.query<Record<string, any>>(
      `SELECT action, user_id, session, host(ip) AS ip, user_agent, method, status, duration_ms FROM activity.user_action_logs WHERE correlation_id = 'ada-req-1'`,
    );
    expect(row).toMatchObject({ action: 'createApiKey', user_id: ada.accountId, ip: '127.0.0.1', user_agent: 'activity-test/1.0', method: 'POST', status: 'OK' });
    expect(row!.session).toEqual(expect.any(String));
    expect(Number(row!.duration_ms)).toBeGreaterThan(0);
  });

  it('records a refused mutation with its error code as the status', async () => {
    await t.firstError(CREATE_KEY, { name: '' }, headersOf(ada, 'ada-bad-input'));
    await flush();
    const rows = await t.user.sql.query<{ status: string }>(`SELECT status FROM activity.user_action_logs WHERE correlation_id = 'ada-bad-input'`);
    expect(rows).toEqual([{ status: 'BAD_USER_INPUT' }]);
  });

  it('records sign-ins as the account that signed in', async () => {
    // Only the token is selected: the row must not depend on the client asking for user.id.
    await t.data(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: ada.email, p: ada.password }, { 'x-request-id': 'ada-login' });
    await flush();
    const rows = await t.user.sql.query(`SELECT action, user_id FROM activity.user_action_logs WHERE correlation_id = 'ada-login'`);
    expect(rows).toEqual([{ action: 'login', user_id: ada.accountId }]);
  });

  it('keeps an unexpected error with its stack in error_logs while the client sees only INTERNAL_SERVER_ERROR', async () => {
    await t.user.sql.exec('ALTER TABLE api_key RENAME TO api_key_hidden');
    try {
      const result = await t.graphql('{ apiKeys { id } }', {}, headersOf(ada, 'ada-broken'));
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) });
      expect(JSON.stringify(result)).not.toMatch(/api_key|stack|at /);
    } finally {
      await t.user.sql.exec('ALTER TABLE api_key_hidden RENAME TO api_key');
    }
    await flush();
    const rows = await t.user.sql.query<Record<string, any>>(`SELECT component, user_id, request_path, stack FROM activity.error_logs WHERE correlation_id = 'ada-broken'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ component: 'graphql.query', user_id: ada.accountId, request_path: 'apiKeys' });
    expect(rows[0]!.stack).toMatch(/\n\s+at /);
  });

  it('keeps unexpected errors of websocket operations too, under their operation id', async () => {
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: ada.headers, retryAttempts: 0, lazy: true });
    await t.user.sql.exec('ALTER TABLE api_key RENAME TO api_key_hidden');
    try {
      const result = await new Promise<any>((resolve, reject) => {
        let last: unknown;
        client.subscribe({ query: '{ apiKeys { id } }' }, { next: (value) => (last = value), error: reject, complete: () => resolve(last) });
      });
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) });
    } finally {
      await t.user.sql.exec('ALTER TABLE api_key_hidden RENAME TO api_key');
      await client.dispose();
    }
    await flush();
    const rows = await t.user.sql.query<Record<string, any>>(`SELECT component, user_id, correlation_id FROM activity.error_logs WHERE component LIKE 'graphql-ws.%'`);
    expect(rows).toEqual([{ component: 'graphql-ws.query', user_id: ada.accountId, correlation_id: expect.stringMatching(/^ws-/) }]);
  });

  it('writes each job run to performance_logs', async () => {
    const job = t.app.jobs.find((j) => j.name === 'activity-retention')!;
    expect(await t.app.scheduler.tick(job)).toBe('ran');
    await flush();
    const rows = await t.user.sql.query<Record<string, any>>(`SELECT status, component FROM activity.performance_logs WHERE operation = 'job:activity-retention'`);
    expect(rows).toEqual([{ status: 'ok', component: 'jobs' }]);
  });
});

describe('the recent_system_activity view and systemActivity', () => {
  it('unions every source', async () => {
    t.app.activity.systemLog({ level: 'warn', msg: 'provider answered late', fields: { requestId: 'sys-warn-1' }, bindings: {} });
    t.app.activity.performance({ operation: 'query slowOne', duration_ms: 2_500, status: 'slow', component: 'graphql', correlation_id: 'perf-1' });
    await flush();
    const view = await t.user.sql.query<{ source: string }>('SELECT DISTINCT source FROM activity.recent_system_activity ORDER BY 1');
    expect(view.map((row) => row.source)).toEqual(['ERROR', 'PERFORMANCE', 'SYSTEM', 'TRADING', 'USER_ACTION']);
    const nodes = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 100 }, admin, 'systemActivity');
    expect(new Set(nodes.map((node) => node.source))).toEqual(new Set(['ERROR', 'PERFORMANCE', 'SYSTEM', 'TRADING', 'USER_ACTION']));
    expect(nodes.find((node) => node.correlationId === 'perf-1')).toMatchObject({ severity: 'WARN', component: 'graphql', metadata: { durationMs: 2500, status: 'slow' } });
  });

  it('is for administrators only', async () => {
    expect((await t.firstError(SYSTEM_ACTIVITY, {}, ada.headers)).extensions?.code).toBe('FORBIDDEN');
    expect((await t.firstError(SYSTEM_ACTIVITY, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('filters by minimum severity, source, correlation id and time', async () => {
    const warnOrWorse = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 100, severity: 'WARN' }, admin, 'systemActivity');
    expect(warnOrWorse.length).toBeGreaterThan(0);
    for (const node of warnOrWorse) expect(['WARN', 'ERROR', 'FATAL']).toContain(node.severity);
    expect(warnOrWorse.map((node) => node.correlationId)).toEqual(expect.arrayContaining(['ada-bad-input', 'ada-broken', 'sys-warn-1']));

    const trading = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 100, source: 'TRADING' }, admin, 'systemActivity');
    expect(trading.map((node) => node.description).sort()).toEqual(['FILLED', 'PLACED']);

    const byRequest = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { correlationId: 'ada-broken' }, admin, 'systemActivity');
    expect(byRequest.map((node) => node.source).sort()).toEqual(['ERROR']);

    const all = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 100 }, admin, 'systemActivity');
    const times = all.map((node) => node.timestamp).sort();
    const middle = times[Math.floor(times.length / 2)]!;
    const before = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 100, to: middle }, admin, 'systemActivity');
    const after = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 100, from: middle }, admin, 'systemActivity');
    for (const node of before) expect(node.timestamp < middle).toBe(true);
    for (const node of after) expect(node.timestamp >= middle).toBe(true);
    expect(before.length + after.length).toBe(all.length);
  });

  it('pages newest first with cursors, every row once', async () => {
    const whole = (await t.data(SYSTEM_ACTIVITY, { first: 100 }, admin)).systemActivity.edges.map((edge: { node: ActivityNode }) => edge.node);
    const paged = await allPages<ActivityNode>(SYSTEM_ACTIVITY, { first: 2 }, admin, 'systemActivity');
    expect(paged).toEqual(whole);
    const stamps = paged.map((node) => node.timestamp);
    expect([...stamps].sort().reverse()).toEqual(stamps);
    expect((await t.firstError(SYSTEM_ACTIVITY, { after: 'bm90LWEtY3Vyc29y' }, admin)).extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('myActivity', () => {
  it("shows a user their own actions and trading events and never another user's rows", async () => {
    const mine = await allPages<ActivityNode>(MY_ACTIVITY, { first: 2 }, ada.headers, 'myActivity');
    expect(mine.map((node) => node.source)).toEqual(expect.arrayContaining(['USER_ACTION', 'TRADING']));
    for (const node of mine) expect(['USER_ACTION', 'TRADING']).toContain(node.source);
    expect(mine.filter((node) => node.source === 'TRADING').map((node) => node.description)).toEqual(['PLACED']);
    const text = JSON.stringify(mine);
    expect(text).not.toContain('bob-req-1');
    expect(text).not.toContain(bob.email);
    expect(text).not.toContain('FILLED');
    // Ada's unexpected error is hers too, but errors are for administrators.
    expect(text).not.toContain('ada-broken');

    const bobs = await allPages<ActivityNode>(MY_ACTIVITY, { first: 100 }, bob.headers, 'myActivity');
    expect(JSON.stringify(bobs)).not.toContain('ada-');
    expect(bobs.map((node) => node.correlationId)).toContain('bob-req-1');
  });

  it('needs a signed-in user', async () => {
    expect((await t.firstError(MY_ACTIVITY, {})).extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe.skipIf(!realPostgres)('a locked activity table', () => {
  it('does not slow requests: the queue keeps the newest rows, drops the oldest and counts them', async () => {
    const locked = await startTestApp({ env: { ACTIVITY_QUEUE_MAX: '3', ACTIVITY_FLUSH_ROWS: '1', ACTIVITY_FLUSH_MS: '60000', DB_STATEMENT_TIMEOUT_MS: '60000' } });
    const holder = new pg.Client({ connectionString: locked.user.url });
    try {
      const carol = await signUp(locked, 'carol');
      await locked.app.activity.writer!.flush();
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE activity.user_action_logs IN ACCESS EXCLUSIVE MODE');
      const before = locked.app.activity.stats();

      await locked.data(CREATE_KEY, { name: 'k1' }, headersOf(carol, 'lock-1'));
      // The writer took lock-1 and now waits on the lock, holding one connection.
      await vi.waitFor(async () => expect((await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows[0].n).toBe(1), { timeout: 10_000 });
      for (let n = 2; n <= 8; n += 1) {
        const { createApiKey } = await locked.data(CREATE_KEY, { name: `k${n}` }, headersOf(carol, `lock-${n}`));
        expect(createApiKey.apiKey.id).toEqual(expect.any(String));
      }
      expect(locked.app.activity.stats()).toMatchObject({ queued: 3, dropped: before.dropped + 4, written: before.written });

      await holder.query('COMMIT');
      await locked.app.activity.writer!.flush();
      const rows = await locked.user.sql.query<{ correlation_id: string }>(
        `SELECT correlation_id FROM activity.user_action_logs WHERE correlation_id LIKE 'lock-%' ORDER BY id`,
      );
      expect(rows.map((row) => row.correlation_id)).toEqual(['lock-1', 'lock-6', 'lock-7', 'lock-8']);
    } finally {
      await holder.end().catch(() => undefined);
      await locked.close();
    }
  }, 60_000);
});
