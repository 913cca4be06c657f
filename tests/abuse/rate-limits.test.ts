import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { RequestContext } from '../../src/graphql/request-context.js';
import { clientIp, parseTrustedProxies } from '../../src/http/client-ip.js';
import { rateLimitPlugin } from '../../src/ratelimit/rate-limit-plugin.js';
import { LoginThrottle, RateLimits } from '../../src/ratelimit/rate-limits.js';
import type { SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testRedisUrl } from '../support/servers.js';

const redisUrl = testRedisUrl();
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;
const TYPENAME = '{ __typename }';

// Small budgets (cost unit 1) so that a test can spend one with a few requests.
const LIMITS = {
  RATE_LIMITS: 'on',
  RATE_LIMIT_ANONYMOUS_PER_HOUR: '20',
  RATE_LIMIT_FREE_PER_HOUR: '8',
  RATE_LIMIT_PRO_PER_HOUR: '20',
  RATE_LIMIT_AVERAGE_COST: '1',
  LOGIN_MAX_FAILURES_PER_IP: '15',
};
// Both apps share one Redis prefix: with Redis they are two API processes on one deployment.
const sharedPrefix = `mgtest:${randomBytes(4).toString('hex')}:`;
const sharedEnv: Record<string, string> = redisUrl ? { REDIS_KEY_PREFIX: sharedPrefix } : {};

interface RawResult {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(t: TestApp, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>): Promise<RawResult> {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as RawResult['body'] };
}

let ipCounter = 0;
/** A fresh client address, forwarded by the trusted proxy (the test itself, on 127.0.0.1). */
const freshIp = () => `203.0.113.${++ipCounter}`;
const from = (ip: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...extra });

async function spend(t: TestApp, n: number, headers: Record<string, string>): Promise<RawResult[]> {
  const results: RawResult[] = [];
  for (let i = 0; i < n; i += 1) results.push(await post(t, TYPENAME, headers));
  return results;
}

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;

/** Signs a user up (from its own IP) and, for another role or tier, signs in again so the token carries it. */
async function userWith(t: TestApp, change: { role?: 'ADMIN'; tier?: 'PRO' } = {}): Promise<SignedUpUser> {
  const email = `limits-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await post(t, REGISTER, from(freshIp()), { input: { email, password, fullName: 'Limits' } });
  const { accessToken, user: account } = registered.body.data.register;
  const user: SignedUpUser = { accountId: account.id, email, password, accessToken, refreshToken: '', headers: { authorization: `Bearer ${accessToken}` } };
  if (change.role) await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [user.accountId]);
  if (change.tier) await t.user.sql.query(`UPDATE account SET tier = 'PRO' WHERE id = $1`, [user.accountId]);
  if (!change.role && !change.tier) return user;
  const login = await post(t, LOGIN, from(freshIp()), { email: user.email, password: user.password });
  const token = login.body.data.login.accessToken as string;
  return { ...user, accessToken: token, headers: { authorization: `Bearer ${token}` } };
}

describe('one API process behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...LIMITS, ...sharedEnv, TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(() => t?.close());

  it('serves an anonymous IP its 20 requests with RateLimit headers, then answers 429 RATE_LIMITED with Retry-After and retryAfter', async () => {
    const ip = freshIp();
    const served = await spend(t, 20, from(ip));
    expect(served.every((r) => r.status === 200)).toBe(true);
    expect(served.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(Array.from({ length: 20 }, (_, i) => String(19 - i)));
    expect(served[0]!.headers.get('ratelimit-limit')).toBe('20');
    expect(Number(served[0]!.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(Number(served[0]!.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(3600);
    expect(served[0]!.headers.get('retry-after')).toBeNull();

    const refused = await post(t, TYPENAME, from(ip));
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = refused.body.errors![0]!.extensions!.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');

    // Another client behind the same proxy has its own budget.
    expect((await post(t, TYPENAME, from(freshIp()))).status).toBe(200);
  });

  it('gives a FREE user 8 requests an hour whatever IP they come from, and a PRO user 20', async () => {
    const free = await userWith(t);
    const freeResults = [...(await spend(t, 4, from(freshIp(), free.headers))), ...(await spend(t, 4, from(freshIp(), free.headers)))];
    expect(freeResults.every((r) => r.status === 200)).toBe(true);
    expect(freeResults[0]!.headers.get('ratelimit-limit')).toBe('8');
    expect((await post(t, TYPENAME, from(freshIp(), free.headers))).status).toBe(429);

    const pro = await userWith(t, { tier: 'PRO' });
    const proResults = await spend(t, 20, from(freshIp(), pro.headers));
    expect(proResults.every((r) => r.status === 200)).toBe(true);
    expect(proResults[0]!.headers.get('ratelimit-limit')).toBe('20');
    expect((await post(t, TYPENAME, from(freshIp(), pro.headers))).status).toBe(429);
  });

  it('never limits an admin and sends them no RateLimit headers', async () => {
    const admin = await userWith(t, { role: 'ADMIN' });
    const results = await spend(t, 30, from(freshIp(), admin.headers));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results[29]!.headers.get('ratelimit-limit')).toBeNull();
  });

  it('charges requests made with an API key to the owner, with the owner’s tier', async () => {
    const pro = await userWith(t, { tier: 'PRO' });
    const created = await post(t, `mutation { createApiKey(name: "ci") { key } }`, from(freshIp(), pro.headers));
    const key = created.body.data.createApiKey.key as string;
    const viaKey = await post(t, TYPENAME, from(freshIp(), { 'x-api-key': key }));
    expect(viaKey.headers.get('ratelimit-limit')).toBe('20');
    // createApiKey and this request: two of the account's 20.
    expect(viaKey.headers.get('ratelimit-remaining')).toBe('18');
    const viaToken = await post(t, TYPENAME, from(freshIp(), pro.headers));
    expect(viaToken.headers.get('ratelimit-remaining')).toBe('17');
  });

  it('refuses an account after 10 wrong passwords, and then refuses the right password too', async () => {
    const user = await userWith(t);
    for (let i = 0; i < 10; i += 1) {
      const wrong = await post(t, LOGIN, from(freshIp()), { email: user.email, password: `wrong password ${i}` });
      expect(wrong.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    const right = await post(t, LOGIN, from(freshIp()), { email: user.email.toUpperCase(), password: user.password });
    expect(right.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(right.body.errors![0]!.extensions!.retryAfter as number).toBeGreaterThan(0);
    expect(right.body.errors![0]!.extensions!.retryAfter as number).toBeLessThanOrEqual(900);

    // Another account is not affected.
    const other = await userWith(t);
    const fine = await post(t, LOGIN, from(freshIp()), { email: other.email, password: other.password });
    expect(fine.body.errors).toBeUndefined();
  });

  it('refuses an IP after 15 failed sign-ins across any emails, even with a right password, while other IPs still sign in', async () => {
    const user = await userWith(t);
    const ip = freshIp();
    for (let i = 0; i < 15; i += 1) {
      const wrong = await post(t, LOGIN, from(ip), { email: `nobody-${i}-${randomBytes(3).toString('hex')}@example.com`, password: 'not the password' });
      expect(wrong.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await post(t, LOGIN, from(ip), { email: user.email, password: user.password });
    expect(blocked.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    const elsewhere = await post(t, LOGIN, from(freshIp()), { email: user.email, password: user.password });
    expect(elsewhere.body.errors).toBeUndefined();
  });

  it('takes the client address from X-Forwarded-For sent by the trusted proxy, skipping trusted hops from the right', async () => {
    const ip = freshIp();
    // The client forged the left entry; the proxy appended the real address.
    await spend(t, 20, from(`198.51.100.1, ${ip}`));
    expect((await post(t, TYPENAME, from(`198.51.100.2, ${ip}, 127.0.0.1`))).status).toBe(429);
    expect((await post(t, TYPENAME, from(`${ip}, 198.51.100.3`))).status).toBe(200);
  });

  describe.skipIf(!redisUrl)('a second API process on the same Redis (needs a real Redis: set TEST_REDIS_URL)', () => {
    let other: TestApp;
    beforeAll(async () => {
      other = await startTestApp({ env: { ...LIMITS, ...sharedEnv } });
    });
    afterAll(() => other?.close());

    it('sees a budget spent on the first process as spent', async () => {
      // `other` trusts no proxy: its clients are 127.0.0.1, the key the first app uses without X-Forwarded-For.
      const before = await spend(t, 18, {});
      expect(before.every((r) => r.status === 200)).toBe(true);
      const next = await spend(other, 3, {});
      expect(next.map((r) => r.status)).toEqual([200, 200, 429]);
      expect((await post(t, TYPENAME)).status).toBe(429);
    });

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      // 127.0.0.1's budget is spent (previous case): forging an address does not buy a new one.
      const forged = await post(other, TYPENAME, from(freshIp()));
      expect(forged.status).toBe(429);
    });
  });
});

describe('clientIp', () => {
  const req = (remoteAddress: string, xff?: string) => ({ socket: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as never;

  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientIp(req('192.0.2.9', '10.0.0.1'), parseTrustedProxies(''))).toBe('192.0.2.9');
  });

  it('ignores X-Forwarded-For from a peer outside TRUSTED_PROXIES', () => {
    expect(clientIp(req('192.0.2.9', '10.0.0.1'), parseTrustedProxies('10.0.0.0/8'))).toBe('192.0.2.9');
  });

  it('walks from the right past trusted hops (IPs and CIDRs, IPv4-mapped IPv6) to the first untrusted address', () => {
    const trusted = parseTrustedProxies('10.0.0.0/8, 192.0.2.1, 2001:db8::/32');
    expect(clientIp(req('::ffff:10.1.2.3', '6.6.6.6, 198.51.100.4, 192.0.2.1'), trusted)).toBe('198.51.100.4');
    expect(clientIp(req('2001:db8::1', '198.51.100.5'), trusted)).toBe('198.51.100.5');
    expect(clientIp(req('10.0.0.1'), trusted)).toBe('10.0.0.1');
    expect(clientIp(req('10.0.0.1', 'garbage, 10.0.0.2'), trusted)).toBe('10.0.0.2');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an IP or CIDR', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: '10.0.0.0/8, proxy.internal' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/prefix must be 0-32/);
  });
});

describe('configuration', () => {
  it('refuses RATE_LIMITS=off when NODE_ENV=production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), RATE_LIMITS: 'off' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), RATE_LIMITS: 'off' })).toThrow(/RATE_LIMITS/);
  });

  it('uses the production budgets in production and tests, ten times them in development', () => {
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).rateLimits;
    expect(prod).toMatchObject({ enabled: true, anonymousPerHour: 1_000, freePerHour: 10_000, proPerHour: 100_000, loginMaxFailuresPerAccount: 10, loginMaxFailuresPerIp: 100 });
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimits).toEqual(prod);
    expect(loadConfig({ NODE_ENV: 'development' }).rateLimits).toMatchObject({ anonymousPerHour: 10_000, loginMaxFailuresPerAccount: 100 });
  });

  it('RATE_LIMITS=off lets any number of requests and failed sign-ins through', async () => {
    const config = loadConfig({ NODE_ENV: 'test', RATE_LIMITS: 'off', RATE_LIMIT_ANONYMOUS_PER_HOUR: '1' }).rateLimits;
    const limits = new RateLimits(config, { keyPrefix: 'unit:' });
    const throttle = new LoginThrottle(config, { keyPrefix: 'unit:' });
    for (let i = 0; i < 50; i += 1) {
      expect((await limits.consume({ viewer: null, ip: '192.0.2.1' }, 100)).allowed).toBe(true);
      await throttle.recordFailure('a@example.com', '192.0.2.1');
    }
    expect(await throttle.blockedFor('a@example.com', '192.0.2.1')).toBeNull();
  });
});

describe('cost weighting (the plugin on its own Apollo server)', () => {
  const schema = buildSchema('type Query { cheap: Int, a: Int, b: Int, c: Int }');
  const config = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_ANONYMOUS_PER_HOUR: '2', RATE_LIMIT_AVERAGE_COST: '5' }).rateLimits;
  const store = { keyPrefix: `mgtest:${randomBytes(4).toString('hex')}:` };
  const limits = new RateLimits(config, store);
  // The cost: one unit per top-level field, a `{ __typename }` 0 (still charged 1).
  const apollo = new ApolloServer<RequestContext>({
    schema,
    plugins: [
      rateLimitPlugin<RequestContext>(limits, {
        pointsOf: ({ operation }) => operation!.selectionSet.selections.filter((s) => s.kind === 'Field' && s.name.value !== '__typename').length,
      }),
    ],
  });
  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());
  const run = async (query: string, ip: string) => {
    const response = await apollo.executeOperation({ query }, { contextValue: { viewer: null, requestId: 'r', clientIp: ip } });
    return { status: response.http.status ?? 200, remaining: response.http.headers.get('ratelimit-remaining'), limit: response.http.headers.get('ratelimit-limit') };
  };

  it('charges each operation its cost from a budget of requests × average cost, at least 1 for { __typename }', async () => {
    const ip = '192.0.2.50';
    expect(await run('{ a b c }', ip)).toEqual({ status: 200, remaining: '7', limit: '10' });
    expect(await run('{ __typename }', ip)).toMatchObject({ status: 200, remaining: '6' });
    expect(await run('{ a b c cheap }', ip)).toMatchObject({ status: 200, remaining: '2' });
    expect(await run('{ a b c }', ip)).toMatchObject({ status: 429, remaining: '0' });
    // The refused operation's units still count, so a client that keeps trying stays refused until the window ends.
    expect(await run('{ cheap }', ip)).toMatchObject({ status: 429 });
  });
});

describe('when Redis stops answering', () => {
  // A "Redis" that completes ioredis's handshake (HELLO 3, two CLIENT SETINFO) and then never replies:
  // the client is ready, and every command hangs.
  const sockets: Socket[] = [];
  let silent: Server;
  let redis: Redis;
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.push(socket);
      socket.once('data', () => socket.write('%1\r\n+proto\r\n:3\r\n+OK\r\n+OK\r\n'));
    });
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', () => done()));
    const { port } = silent.address() as { port: number };
    redis = new Redis({ host: '127.0.0.1', port, enableReadyCheck: false, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => undefined);
    await redis.connect();
    expect(redis.status).toBe('ready');
  });
  afterAll(async () => {
    redis?.disconnect();
    sockets.forEach((socket) => socket.destroy());
    await new Promise((done) => silent?.close(done));
  });

  it('answers from the in-process limiter instead of waiting, still enforcing the budget', async () => {
    const config = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_ANONYMOUS_PER_HOUR: '3', RATE_LIMIT_AVERAGE_COST: '1' }).rateLimits;
    const limits = new RateLimits(config, { redis, keyPrefix: 'silent:' });
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limits.consume({ viewer: null, ip: '192.0.2.77' }, 1));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
  });

  it('keeps the login throttle working in memory', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' }).rateLimits;
    const throttle = new LoginThrottle(config, { redis, keyPrefix: 'silent:' });
    await throttle.recordFailure('b@example.com', '192.0.2.78');
    expect(await throttle.blockedFor('b@example.com', '192.0.2.78')).toBeNull();
    await throttle.recordFailure('b@example.com', '192.0.2.78');
    expect(await throttle.blockedFor('b@example.com', '192.0.2.78')).toBeGreaterThan(0);
  });
});
