import { readFileSync } from 'node:fs';
import { parse, validate, specifiedRules } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRules, operationCost, DEFAULT_GUARD_LIMITS } from '../../src/graphql/guards/index.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const MODERN = { accept: 'application/graphql-response+json' };

/** `query { ...F0 } fragment F0 on Query { ...F1 ...F1 } … fragment F25 on Query { __typename }` */
function fragmentChain(n = 26): string {
  const fragments = Array.from({ length: n - 1 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${fragments.join(' ')} fragment F${n - 1} on Query { __typename }`;
}

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

async function post(t: TestApp, body: string, headers: Record<string, string>) {
  const response = await fetch(t.url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

async function answer(query: string): Promise<{ errors?: unknown; extensions?: { cost?: unknown } }> {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { extensions?: { cost?: unknown } };
}

let t: TestApp;
let prod: TestApp;
beforeAll(async () => {
  [t, prod] = await Promise.all([
    startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) }),
    startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env: { GRAPHQL_INTROSPECTION: 'false' } }),
  ]);
});
afterAll(() => Promise.all([t?.close(), prod?.close()]));

describe('documents built to burn CPU', () => {
  it('walks each of the 26 chained fragments once in depth and cost, and answers the chain with { __typename }', async () => {
    const document = parse(fragmentChain());
    const depthProbe = { fragmentWalks: 0 };
    const costProbe = { fragmentWalks: 0 };
    expect(validate(t.app.schema, document, [...specifiedRules, ...guardRules(DEFAULT_GUARD_LIMITS, depthProbe)])).toEqual([]);
    expect(operationCost(t.app.schema, document, {}, undefined, costProbe)).toBe(0);
    expect(depthProbe.fragmentWalks).toBe(26);
    expect(costProbe.fragmentWalks).toBe(26);
    const result = await t.graphql(fragmentChain());
    expect(result.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a 1 MB document by its length before parsing it, naming GRAPHQL_MAX_DOCUMENT_CHARS', async () => {
    const query = `{ __typename ${'#'.repeat(990_000)}\n}`;
    const result = await t.graphql(query, undefined, MODERN);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'GRAPHQL_MAX_DOCUMENT_CHARS', max: 15_000, found: query.length });
    expect(result.data).toBeUndefined();
  });

  it('refuses a document of more than GRAPHQL_MAX_TOKENS tokens before parsing it', async () => {
    const result = await t.graphql(`{ ${'a '.repeat(2_100)}}`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'GRAPHQL_MAX_TOKENS', max: 2_000 });
  });

  it('refuses 16 aliases, naming GRAPHQL_MAX_ALIASES, its value and the count', async () => {
    const result = await t.graphql(aliases(16, 'stock(symbol: "AAPL") { symbol }'));
    expect(result.errors?.[0]?.message).toBe('Operation uses too many aliases: found 16, the limit (GRAPHQL_MAX_ALIASES) is 15');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.data).toBeUndefined();
  });

  it('refuses the CEO alias bombs (1,000 × 500 candles; 1,000 × stocks with quotes and indicators)', async () => {
    for (const field of ['stock(symbol:"AAPL"){ candles(last:500){ close } }', 'stocks(first:100){ edges { node { quote { price } indicators { rsi14 } } } }']) {
      const result = await t.graphql(aliases(1_000, field));
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('refuses 5 aliases of 100 stocks × 1,000 candles as QUERY_TOO_COMPLEX with the cost and the limit', async () => {
    const result = await t.graphql(aliases(5, 'stocks(first:100){ edges { node { candles(last:1000) { close } } } }'));
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: { requested: 5 * (100 * (1 + 1 + 1 + 1000)), limit: 5_000 } });
  });

  it('counts candles by the span of from/to in their interval', async () => {
    const week = await answer(`{ stock(symbol:"AAPL") { candles(from:"2025-03-01T00:00:00Z", to:"2025-03-07T00:00:00Z") { close } } }`);
    // stock 1 + 7 daily candles × 1
    expect(week.extensions?.cost).toEqual({ requested: 8, limit: 5_000 });
    const minutes = await t.graphql(`{ stocks(first: 10) { edges { node { candles(interval: MINUTE, from:"2025-03-01T00:00:00Z", to:"2025-03-07T00:00:00Z") { close } } } } }`);
    expect(minutes.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses 51 directives, naming GRAPHQL_MAX_DIRECTIVES', async () => {
    const result = await t.graphql(`{ stock(symbol:"AAPL") { ${'symbol @include(if: true) '.repeat(51)} } }`);
    expect(result.errors?.[0]?.message).toBe('Operation uses too many directives: found 51, the limit (GRAPHQL_MAX_DIRECTIVES) is 50');
  });

  it('reports the cost it accepted in extensions.cost', async () => {
    const body = await answer('{ stocks(first: 10) { edges { node { symbol } } } }');
    expect(body.extensions?.cost).toEqual({ requested: 30, limit: 5_000 });
  });
});

describe('the cost of what our own clients send', () => {
  // The largest values the clients send (page size max 100, chart max 1,000 candles).
  const variables = { symbol: 'AAPL', symbols: ['AAPL', 'MSFT'], first: 100, last: 1000, interval: 'DAY', email: 'a@b.c', password: 'x', collectionId: 'x', input: {} };
  const files = ['../../operations/stock.graphql', '../../examples/web/src/operations.graphql'].map((f) => new URL(f, import.meta.url));

  it('keeps every operation in operations/*.graphql and the example app under GRAPHQL_MAX_COST', () => {
    const costs: Record<string, number> = {};
    for (const file of files) {
      const document = parse(readFileSync(file, 'utf8'));
      for (const definition of document.definitions) {
        if (definition.kind !== 'OperationDefinition' || !definition.name) continue;
        costs[definition.name.value] = operationCost(t.app.schema, document, variables, definition.name.value);
      }
    }
    expect(Object.keys(costs).length).toBeGreaterThanOrEqual(10);
    for (const [name, cost] of Object.entries(costs)) expect(cost, name).toBeLessThanOrEqual(DEFAULT_GUARD_LIMITS.maxCost);
    expect(costs.StockCandles).toBe(1 + 1000);
  });
});

describe('schema discovery with introspection off', () => {
  it('shows "Did you mean" while introspection is on, and hides it when off', async () => {
    const typo = '{ stok(symbol: "AAPL") { symbol } }';
    expect((await t.graphql(typo)).errors?.[0]?.message).toContain('Did you mean "stock"');
    const hidden = await prod.graphql(typo);
    expect(hidden.errors?.[0]?.message).toBe('Cannot query field "stok" on type "Query".');
  });

  it('refuses introspection queries', async () => {
    const result = await prod.graphql('{ __schema { types { name } } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toContain('introspection');
  });
});

describe('requests that are not one well-formed GraphQL operation', () => {
  const REGISTER = (email: string) =>
    JSON.stringify({ query: `mutation { register(input: { email: "${email}", password: "correct horse battery staple", fullName: "X" }) { accessToken } }` });

  async function accounts(): Promise<number> {
    const [row] = await t.user.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM account');
    return Number(row?.n);
  }

  it('refuses text/plain and form posts (CSRF) without running the mutation they carry', async () => {
    const before = await accounts();
    const plain = await post(t, REGISTER('csrf-plain@example.com'), { 'content-type': 'text/plain' });
    const form = await post(t, REGISTER('csrf-form@example.com'), { 'content-type': 'application/x-www-form-urlencoded' });
    expect([plain.status, form.status]).toEqual([400, 400]);
    expect(plain.text).toContain('CSRF');
    expect(await accounts()).toBe(before);
  });

  it('refuses a batch (an array body) with 400', async () => {
    const response = await post(t, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Batched requests are not supported');
  });

  it('refuses malformed bodies with 400', async () => {
    for (const body of ['{"query": ', '{"query": 5}', '{}', '"just a string"']) {
      const response = await post(t, body, { 'content-type': 'application/json' });
      expect(response.status, body).toBe(400);
    }
  });

  it('refuses oversize variables with 413', async () => {
    const response = await post(t, JSON.stringify({ query: 'query($s: String) { __typename }', variables: { s: 'x'.repeat(200_000) } }), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(413);
  });

  it('answers a subscription sent over HTTP with a 400 naming the websocket endpoint', async () => {
    const result = await t.graphql('subscription { priceUpdated(symbols: ["AAPL"]) { price } }', undefined, MODERN);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(result.errors?.[0]?.message).toContain('graphql-ws');
    expect(result.errors?.[0]?.message).toContain('/graphql');
  });
});
