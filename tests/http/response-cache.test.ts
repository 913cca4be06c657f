import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccessTokens } from '../../src/modules/auth/access-token.js';
import { announceCatalogueChanged } from '../../src/modules/screener/catalogue-cache.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { captureLog } from '../support/log-capture.js';
import { testRedisUrl } from '../support/servers.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const SCREENER_FIXTURE = readFileSync(new URL('../modules/screener/fixtures/screener-market.sql', import.meta.url), 'utf8');
/** The filter catalogue and predefined screeners of the screener fixture, without its stocks. */
const CATALOGUE = SCREENER_FIXTURE.slice(SCREENER_FIXTURE.indexOf('INSERT INTO "numeric_filter"'));

const ON = { RESPONSE_CACHE: 'on' };
const redisUrl = testRedisUrl();

interface Answer {
  status: number;
  cache: string | null;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs like Apollo Client does and keeps the headers (the fast path's marks are in them). */
async function post(t: TestApp, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, cache: response.headers.get('x-response-cache'), headers: response.headers, body: (await response.json()) as Answer['body'] };
}

/**
 * Until an answer for this document is stored: a process trusts a symbol's ticks only once its subscription to
 * them is live, so the first answer that reads a symbol is not kept.
 */
async function warm(t: TestApp, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer> {
  let answer = await post(t, query, variables, headers);
  for (let i = 0; i < 20 && answer.cache !== 'HIT'; i += 1) answer = await post(t, query, variables, headers);
  expect(answer.cache).toBe('HIT');
  return answer;
}

function statements(t: TestApp): number {
  return t.app.stockDb.queries.count + t.app.userDb.queries.count;
}

function resetStatements(t: TestApp): void {
  t.app.stockDb.queries.reset();
  t.app.userDb.queries.reset();
}

const tick = (symbol: string, price: number) => ({ symbol, price, previousClose: 100, change: price - 100, changePercent: price - 100, volume: 1, timestamp: new Date() });

const AAPL = `{ stock(symbol: "AAPL") { symbol name sector marketCap quote { price } } }`;
const MSFT = `{ stock(symbol: "MSFT") { symbol name sector marketCap quote { price } } }`;

describe('the response cache', () => {
  const log = captureLog('info');
  let t: TestApp;
  let ada: SignedUpUser;
  let bob: SignedUpUser;
  beforeAll(async () => {
    t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET + CATALOGUE), env: ON, logger: log.logger });
    [ada, bob] = await Promise.all([signUp(t, 'ada'), signUp(t, 'bob')]);
  });
  afterAll(() => t?.close());

  it('serves a repeated public query from memory without a single SQL statement, with the bytes and headers Apollo sent', async () => {
    const query = `{ stock(symbol: "AAPL") { symbol candles(last: 2) { close } } }`;
    const first = await post(t, query);
    expect(first.cache).toBe('MISS');
    const hit = await warm(t, query);
    resetStatements(t);
    const again = await post(t, query);
    expect(again.cache).toBe('HIT');
    expect(statements(t)).toBe(0);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(hit.headers.get('cache-control')).toBe('max-age=5, public');
  });

  it('writes the operation log line for a hit too, marked cached, with the request id it echoed', async () => {
    const named = `query CachedAapl { stock(symbol: "AAPL") { symbol name } }`;
    const hit = await warm(t, named, undefined, { 'x-request-id': 'cache-hit-1' });
    expect(hit.headers.get('x-request-id')).toBe('cache-hit-1');
    const lines = log.find((line) => line.requestId === 'cache-hit-1' && line.msg === 'graphql operation');
    expect(lines.at(-1)).toMatchObject({ operationName: 'CachedAapl', operationType: 'query', cached: true, transport: 'http' });
  });

  it('sends Cache-Control from the schema’s hints: the shortest maxAge of what was read, no-store for private data', async () => {
    expect((await post(t, `{ stock(symbol: "MSFT") { name sector } }`)).headers.get('cache-control')).toBe('max-age=60, public');
    expect((await post(t, `{ stock(symbol: "MSFT") { name quote { price } } }`)).headers.get('cache-control')).toBe('max-age=5, public');
    expect((await post(t, `{ screeners { key } }`)).headers.get('cache-control')).toBe('max-age=300, public');
    const me = await post(t, `{ me { id } }`, {}, ada.headers);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.cache).toBeNull();
  });

  it('answers fresh after a tick for AAPL while an entry that read only MSFT stays cached', async () => {
    await warm(t, AAPL);
    const msft = await warm(t, MSFT);
    await t.app.publishPrice(tick('AAPL', 321.5));
    await vi.waitFor(async () => expect((await post(t, AAPL)).body.data.stock.quote.price).toBe(321.5));
    const msftAfter = await post(t, MSFT);
    expect(msftAfter.cache).toBe('HIT');
    expect(msftAfter.body).toEqual(msft.body);
  });

  it('drops every entry when stock rows change (stocks:changed)', async () => {
    const query = `{ stock(symbol: "XOM") { name } }`;
    await warm(t, query);
    await t.stock.sql.query(`UPDATE stock SET name = 'Exxon Renamed' WHERE symbol = 'XOM'`);
    await t.app.bus.publish('stocks:changed', { symbols: ['XOM'] });
    await vi.waitFor(async () => expect((await post(t, query)).body.data.stock.name).toBe('Exxon Renamed'));
  });

  it('never keeps or shares an answer that depends on the viewer', async () => {
    const mark = `mutation($input: MarkStockInput!) { markStock(input: $input) { note } }`;
    const marked = await post(t, mark, { input: { symbol: 'AAPL', note: 'ada’s note' } }, ada.headers);
    expect(marked.body.errors).toBeUndefined();
    const query = `{ stock(symbol: "AAPL") { name myInterest { note } } }`;
    for (let i = 0; i < 3; i += 1) {
      const asAda = await post(t, query, {}, ada.headers);
      const asBob = await post(t, query, {}, bob.headers);
      expect(asAda.body.data.stock.myInterest).toEqual({ note: 'ada’s note' });
      expect(asBob.body.data.stock.myInterest).toBeNull();
      expect([asAda.cache, asBob.cache]).toEqual([null, null]);
      expect(asAda.headers.get('cache-control')).toBe('no-store');
    }
    const [meAda, meBob] = await Promise.all([post(t, `{ me { email } }`, {}, ada.headers), post(t, `{ me { email } }`, {}, bob.headers)]);
    expect([meAda.body.data.me.email, meBob.body.data.me.email]).toEqual([ada.email, bob.email]);
  });

  it('never answers a refused or expired token from the cache', async () => {
    await warm(t, AAPL, {}, ada.headers);
    await warm(t, AAPL);
    const tokens = new AccessTokens(t.app.config.jwtSecret, t.app.config.accessTokenTtlSeconds);
    const { token } = await tokens.sign({ accountId: ada.accountId, role: 'USER', tier: 'FREE' }, new Date(Date.now() - 3_600_000));
    for (const authorization of [`Bearer ${token}`, 'Bearer garbage', `Bearer ${ada.accessToken}x`]) {
      const answer = await post(t, AAPL, {}, { authorization });
      expect(answer.cache).not.toBe('HIT');
      const me = await post(t, `{ me { id } stock(symbol: "AAPL") { name } }`, {}, { authorization });
      expect(me.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('never keeps an answer with errors', async () => {
    const query = `{ stock(symbol: "AAPL") { name } bad: stock(symbol: "not a symbol!") { name } }`;
    for (let i = 0; i < 3; i += 1) {
      const answer = await post(t, query);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.cache).toBeNull();
    }
  });

  it('never keeps a mutation', async () => {
    const query = `mutation($input: MarkStockInput!) { markStock(input: $input) { note } }`;
    for (let i = 0; i < 3; i += 1) expect((await post(t, query, { input: { symbol: 'MSFT', note: `n${i}` } }, bob.headers)).cache).toBeNull();
  });

  it('keys an answer by its variables and its operation', async () => {
    const query = `query Q($symbol: String!) { stock(symbol: $symbol) { symbol name } }`;
    await warm(t, query, { symbol: 'AAPL' });
    const msft = await post(t, query, { symbol: 'MSFT' });
    expect(msft.body.data.stock.symbol).toBe('MSFT');
  });

  it('keys an automatic persisted query sent by its hash alone', async () => {
    const query = `{ stock(symbol: "BRK.B") { symbol name } }`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const send = (body: object) =>
      fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    expect((await send({ query, extensions: { persistedQuery } })).status).toBe(200);
    let answer = await send({ extensions: { persistedQuery } });
    for (let i = 0; i < 5 && answer.headers.get('x-response-cache') !== 'HIT'; i += 1) answer = await send({ extensions: { persistedQuery } });
    expect(answer.headers.get('x-response-cache')).toBe('HIT');
    expect(await answer.json()).toMatchObject({ data: { stock: { symbol: 'BRK.B', name: 'Berkshire Hathaway Inc.' } } });
  });

  it('reads the filter catalogue and predefined screeners once per process, until they are announced changed', async () => {
    t.app.catalogue.invalidate();
    const loads = t.app.catalogue.loads;
    resetStatements(t);
    await post(t, `{ numericFilters { key } categoricalFilters { key } }`);
    const afterFirst = statements(t);
    const screeners = await post(t, `{ screeners { key numeric { filter { key } } categorical { filter { key } } } }`);
    expect(screeners.body.data.screeners.map((s: { key: string }) => s.key)).toEqual(['mega_caps', 'cheap_nasdaq', 'income']);
    expect(statements(t)).toBe(afterFirst);
    expect(t.app.catalogue.loads).toBe(loads + 1);
    await t.stock.sql.query(`UPDATE screener SET name = 'Huge caps' WHERE key = 'mega_caps'`);
    await announceCatalogueChanged(t.app.bus);
    await vi.waitFor(async () => expect((await post(t, `{ screeners { name } }`)).body.data.screeners[0].name).toBe('Huge caps'));
    expect(t.app.catalogue.loads).toBe(loads + 2);
  });
});

describe('the response cache and rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      prepareStock: (db) => db.sql.exec(MARKET),
      env: { ...ON, RATE_LIMITS: 'on', RATE_LIMIT_ANONYMOUS_PER_HOUR: '40', RATE_LIMIT_AVERAGE_COST: '1' },
    });
  });
  afterAll(() => t?.close());

  it('spends a hit’s recorded cost from the caller’s budget and refuses it with 429 once the budget is spent', async () => {
    const query = `{ stock(symbol: "AAPL") { symbol name } }`;
    await warm(t, query);
    const a = await post(t, query);
    const b = await post(t, query);
    expect([a.cache, b.cache]).toEqual(['HIT', 'HIT']);
    const cost = Math.max(1, (b.body as { extensions?: { cost?: { requested: number } } }).extensions?.cost?.requested ?? 1);
    expect(Number(a.headers.get('ratelimit-remaining')) - Number(b.headers.get('ratelimit-remaining'))).toBe(cost);
    let last = b;
    for (let i = 0; i < 60 && last.status !== 429; i += 1) last = await post(t, query);
    expect(last.status).toBe(429);
    expect(last.cache).toBeNull();
    expect(last.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});

describe.skipIf(!redisUrl)('two app instances on one Redis (needs a real Redis: set TEST_REDIS_URL)', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    // The same deployment prefix (this run's own), so both processes share the cache and the bus.
    const env = { ...ON, REDIS_KEY_PREFIX: `mgtest:${randomBytes(4).toString('hex')}:` };
    [one, two] = await Promise.all([startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env }), startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env })]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('share an entry, and one tick invalidates it in both', async () => {
    // Both processes listen to AAPL's and MSFT's ticks (answers read before that are not trusted).
    await warm(two, `{ stock(symbol: "AAPL") { name } }`);
    await warm(two, `{ stock(symbol: "MSFT") { name } }`);
    await warm(one, AAPL);
    await warm(one, MSFT);
    resetStatements(two);
    const shared = await post(two, AAPL);
    expect(shared.cache).toBe('HIT');
    expect(statements(two)).toBe(0);
    expect(two.app.responseCache!.stats.sharedHits).toBeGreaterThan(0);

    await one.app.publishPrice(tick('AAPL', 222.25));
    await vi.waitFor(async () => expect((await post(two, AAPL)).body.data.stock.quote.price).toBe(222.25));
    await vi.waitFor(async () => expect((await post(one, AAPL)).body.data.stock.quote.price).toBe(222.25));
    expect((await post(two, MSFT)).cache).toBe('HIT');
  });
});
