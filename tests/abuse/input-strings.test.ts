import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

// Names and industries with LIKE metacharacters in them, so that escaping is visible.
const MARKET = `
INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "market_cap") VALUES
  ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ', 3400000000000),
  ('MSFT', 'Microsoft Corporation', 'Technology', 'Software', 'NASDAQ', 3100000000000),
  ('PCT', 'Hundred % Holdings', 'Financial Services', 'Asset_Management', 'NYSE', 2000000000),
  ('UND', 'Under_Score Corp', 'Technology', 'Software', 'NASDAQ', 1000000000),
  ('BSL', 'Back\\Slash Ltd', 'Energy', 'Oil & Gas', 'NYSE', 500000000);
INSERT INTO "numeric_filter" ("id", "key", "label", "column_name", "unit", "min_value", "max_value") VALUES
  (1, 'market_cap', 'Market cap', 'market_cap', 'USD', 0, NULL);
INSERT INTO "categorical_filter" ("id", "key", "label", "column_name", "options") VALUES
  (1, 'sector', 'Sector', 'sector', ARRAY['Energy', 'Financial Services', 'Technology']),
  (2, 'exchange', 'Exchange', 'exchange', ARRAY['NASDAQ', 'NYSE']);
INSERT INTO "screener" ("id", "key", "name", "description", "criteria") VALUES
  (1, 'big', 'Big', 'Worth at least $1 billion.', '{"numeric":[{"filterKey":"market_cap","min":1000000000}],"categorical":[]}');
`;

const NUL = 'A\u0000B';
const LONE_HIGH = 'A\uD800B';
const LONE_LOW = 'A\uDC00';
const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';
const SURROGATE_MESSAGE = 'must be valid Unicode text (it contains an unpaired UTF-16 surrogate)';

let t: TestApp;
let user: SignedUpUser;
let collectionId: string;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  user = await signUp(t, 'strings');
  const { data } = await t.graphql(`mutation { createCollection(input: { name: "Kept", symbols: ["AAPL"] }) { id } }`, {}, user.headers);
  collectionId = data!.createCollection.id;
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await t?.close();
});

/** Rows of every user-database table a rejected mutation could write to. */
async function userRows(): Promise<Record<string, number>> {
  const [row] = await t.user.sql.query<Record<string, number>>(`SELECT
    (SELECT count(*)::int FROM account) AS account,
    (SELECT count(*)::int FROM refresh_token) AS refresh_token,
    (SELECT count(*)::int FROM custom_collection) AS custom_collection,
    (SELECT count(*)::int FROM custom_collection_stock) AS custom_collection_stock,
    (SELECT count(*)::int FROM custom_screener) AS custom_screener,
    (SELECT count(*)::int FROM custom_screener_categorical) AS custom_screener_categorical,
    (SELECT count(*)::int FROM user_stock_potential) AS user_stock_potential`);
  return row!;
}

async function kept(): Promise<unknown> {
  const { data } = await t.graphql(`query($id: ID!) { collection(id: $id) { name stocks { symbol } } }`, { id: collectionId }, user.headers);
  return data!.collection;
}

type Case = [name: string, query: string, variables: (bad: string) => Record<string, unknown>, field: string, signedIn: boolean];

/** Every kind of string argument: top level, in input objects, in lists, on nested fields; queries and mutations. */
const CASES: Case[] = [
  ['stock(symbol)', `query($v: String!) { stock(symbol: $v) { symbol } }`, (v) => ({ v }), 'symbol', false],
  ['stocks(filter.search)', `query($v: String) { stocks(filter: { search: $v }) { totalCount } }`, (v) => ({ v }), 'filter.search', false],
  ['stocks(filter.sector)', `query($v: String) { stocks(filter: { sector: $v }) { totalCount } }`, (v) => ({ v }), 'filter.sector', false],
  ['stocks(after)', `query($v: String) { stocks(after: $v) { totalCount } }`, (v) => ({ v }), 'after', false],
  ['register(input.email)', `mutation($v: String!) { register(input: { email: $v, password: "long enough pw", fullName: "X" }) { accessToken } }`, (v) => ({ v }), 'input.email', false],
  ['register(input.fullName)', `mutation($v: String!) { register(input: { email: "nul@example.com", password: "long enough pw", fullName: $v }) { accessToken } }`, (v) => ({ v }), 'input.fullName', false],
  ['register(input.password)', `mutation($v: String!) { register(input: { email: "nul@example.com", password: $v, fullName: "X" }) { accessToken } }`, (v) => ({ v: `long enough ${v}` }), 'input.password', false],
  ['login(email)', `mutation($v: String!) { login(email: $v, password: "whatever it is") { accessToken } }`, (v) => ({ v }), 'email', false],
  ['refreshToken(token)', `mutation($v: String!) { refreshToken(token: $v) { accessToken } }`, (v) => ({ v }), 'token', false],
  ['createCollection(input.name)', `mutation($v: String!) { createCollection(input: { name: $v, symbols: ["MSFT"] }) { id } }`, (v) => ({ v }), 'input.name', true],
  ['createCollection(input.description)', `mutation($v: String) { createCollection(input: { name: "D", description: $v }) { id } }`, (v) => ({ v }), 'input.description', true],
  ['createCollection(input.symbols[2])', `mutation($v: [String!]) { createCollection(input: { name: "L", symbols: $v }) { id } }`, (v) => ({ v: ['AAPL', 'MSFT', v] }), 'input.symbols[2]', true],
  ['renameCollection(name)', `mutation($id: ID!, $v: String!) { renameCollection(id: $id, name: $v) { name } }`, (v) => ({ id: collectionId, v }), 'name', true],
  ['addStockToCollection(symbol)', `mutation($id: ID!, $v: String!) { addStockToCollection(collectionId: $id, symbol: $v) { name } }`, (v) => ({ id: collectionId, v }), 'symbol', true],
  ['collection(id)', `query($v: ID!) { collection(id: $v) { name } }`, (v) => ({ v }), 'id', true],
  ['markStock(input.note)', `mutation($v: String) { markStock(input: { symbol: "AAPL", note: $v }) { id } }`, (v) => ({ v }), 'input.note', true],
  ['markStock(input.symbol)', `mutation($v: String!) { markStock(input: { symbol: $v }) { id } }`, (v) => ({ v }), 'input.symbol', true],
  ['unmarkStock(symbol)', `mutation($v: String!) { unmarkStock(symbol: $v) }`, (v) => ({ v }), 'symbol', true],
  ['runScreener(input.categorical[0].values[1])', `query($v: String!) { runScreener(input: { categorical: [{ filterId: "1", values: ["Energy", $v] }] }) { totalCount } }`, (v) => ({ v }), 'input.categorical[0].values[1]', false],
  ['runScreener(input.numeric[0].filterId)', `query($v: ID!) { runScreener(input: { numeric: [{ filterId: $v, min: 1 }] }) { totalCount } }`, (v) => ({ v }), 'input.numeric[0].filterId', false],
  ['runScreener(input.after)', `query($v: String) { runScreener(input: { after: $v }) { totalCount } }`, (v) => ({ v }), 'input.after', false],
  ['Screener.results(after), a nested field', `query($v: String) { screeners { results(after: $v) { totalCount } } }`, (v) => ({ v }), 'after', false],
  ['createCustomScreener(input.name)', `mutation($v: String!) { createCustomScreener(input: { name: $v, categorical: [{ filterId: "1", values: ["Energy"] }] }) { id } }`, (v) => ({ v }), 'input.name', true],
  ['createCustomScreener(input.description)', `mutation($v: String) { createCustomScreener(input: { name: "S", description: $v }) { id } }`, (v) => ({ v }), 'input.description', true],
  ['createCustomScreener(input.categorical[0].values[0])', `mutation($v: String!) { createCustomScreener(input: { name: "S", categorical: [{ filterId: "1", values: [$v] }] }) { id } }`, (v) => ({ v }), 'input.categorical[0].values[0]', true],
];

describe('a NUL character or a lone surrogate in a string argument', () => {
  const badValues: [string, string, string][] = [
    ['a NUL character', NUL, NUL_MESSAGE],
    ['a lone high surrogate', LONE_HIGH, SURROGATE_MESSAGE],
    ['a lone low surrogate', LONE_LOW, SURROGATE_MESSAGE],
  ];
  const table = CASES.flatMap(([name, query, variables, field, signedIn]) =>
    badValues.map(([kind, bad, message]) => [name, kind, query, () => variables(bad), field, signedIn, message] as const),
  );

  it.each(table)('in %s (%s, from a variable) is BAD_USER_INPUT naming the argument, and writes nothing', async (_, _kind, query, variables, field, signedIn, message) => {
    const before = await userRows();
    const { status, data, errors } = await t.graphql(query, variables(), signedIn ? user.headers : {});
    expect(status).toBe(200);
    expect(errors).toHaveLength(1);
    expect(errors![0]).toEqual({
      message: `${field}: ${message}`,
      locations: expect.any(Array),
      path: expect.any(Array),
      extensions: { code: 'BAD_USER_INPUT', field, requestId: expect.any(String) },
    });
    expect(data === null || Object.values(data!).every((value) => value === null)).toBe(true);
    expect(await userRows()).toEqual(before);
    expect(await kept()).toEqual({ name: 'Kept', stocks: [{ symbol: 'AAPL' }] });
  });

  it('written as a literal \\u0000 escape in the query is BAD_USER_INPUT too', async () => {
    const before = await userRows();
    const { errors } = await t.graphql(`mutation { createCollection(input: { name: "Kept", symbols: ["AAPL", "MSFT", "X\\u0000"] }) { id } }`, {}, user.headers);
    expect(errors![0]).toMatchObject({ message: `input.symbols[2]: ${NUL_MESSAGE}`, extensions: { code: 'BAD_USER_INPUT', field: 'input.symbols[2]' } });
    const search = await t.graphql(`{ stocks(filter: { search: "\\u0000" }) { totalCount } }`);
    expect(search.errors![0]).toMatchObject({ message: `filter.search: ${NUL_MESSAGE}`, extensions: { code: 'BAD_USER_INPUT' } });
    expect(await userRows()).toEqual(before);
  });

  it('written as a literal \\uD800 escape cannot even be parsed: GraphQL rejects it as a syntax error', async () => {
    const { status, errors } = await t.graphql(`{ stock(symbol: "\\uD800") { symbol } }`);
    expect(status).toBe(400);
    expect(errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('is caught in the first bad argument of a field with several, and the first bad item of a list', async () => {
    const { errors } = await t.graphql(
      `mutation($a: String!, $b: [String!]) { createCollection(input: { name: $a, symbols: $b }) { id } }`,
      { a: 'fine', b: ['AAPL', LONE_HIGH, NUL] },
      user.headers,
    );
    expect(errors![0]!.message).toBe(`input.symbols[1]: ${SURROGATE_MESSAGE}`);
  });

  it('in a priceUpdated subscription over the websocket ends it with BAD_USER_INPUT naming symbols[1]', async () => {
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    const errors = await new Promise<any[]>((resolve) => {
      client.subscribe(
        { query: `subscription($s: [String!]!) { priceUpdated(symbols: $s) { symbol } }`, variables: { s: ['AAPL', NUL] } },
        { next: (value) => resolve((value.errors as any[]) ?? []), error: (error) => resolve(error as any[]), complete: () => resolve([]) },
      );
    });
    expect(errors[0]).toMatchObject({ message: `symbols[1]: ${NUL_MESSAGE}`, extensions: { code: 'BAD_USER_INPUT', field: 'symbols[1]' } });
  });

  it('does not catch good text: emoji (surrogate pairs), accents and CJK are stored and read back as sent', async () => {
    const name = 'Watch 📈 Café 株式';
    const { data, errors } = await t.graphql(`mutation($n: String!) { createCollection(input: { name: $n }) { id name } }`, { n: name }, user.headers);
    expect(errors).toBeUndefined();
    expect(data!.createCollection.name).toBe(name);
    await t.graphql(`mutation($id: ID!) { deleteCollection(id: $id) }`, { id: data!.createCollection.id }, user.headers);
  });
});

const symbolsOf = async (filter: Record<string, unknown>): Promise<string[]> => {
  const { data, errors } = await t.graphql(`query($f: StockFilter) { stocks(filter: $f) { totalCount edges { node { symbol } } } }`, { f: filter });
  expect(errors).toBeUndefined();
  expect(data!.stocks.totalCount).toBe(data!.stocks.edges.length);
  return data!.stocks.edges.map((edge: any) => edge.node.symbol);
};

describe('stocks(filter: { search })', () => {
  it.each([
    ['%', ['PCT']],
    ['_', ['UND']],
    ['\\', ['BSL']],
    ['100%', []],
    ['%Holdings', []],
    ['p_e', []],
    ['under_score', ['UND']],
    ['% hold', ['PCT']],
  ])('matches %j literally, never as a wildcard: %j', async (search, expected) => {
    expect(await symbolsOf({ search })).toEqual(expected);
  });
});

describe('categorical filters', () => {
  it('of stocks match sector, industry and exchange in any letter case', async () => {
    expect(await symbolsOf({ sector: 'technology' })).toEqual(['AAPL', 'MSFT', 'UND']);
    expect(await symbolsOf({ sector: 'TECHNOLOGY', exchange: 'nasdaq', industry: 'SOFTWARE' })).toEqual(['MSFT', 'UND']);
    expect(await symbolsOf({ industry: 'asset_management' })).toEqual(['PCT']);
  });

  it('of stocks take wildcards literally and answer an unknown value with an empty page, not an error', async () => {
    expect(await symbolsOf({ sector: '%' })).toEqual([]);
    expect(await symbolsOf({ sector: 'Tech%' })).toEqual([]);
    expect(await symbolsOf({ industry: 'Asset%Management' })).toEqual([]);
    expect(await symbolsOf({ exchange: 'NYS_' })).toEqual([]);
    expect(await symbolsOf({ sector: 'Crypto' })).toEqual([]);
  });

  it('of runScreener match options in any letter case', async () => {
    const { data, errors } = await t.graphql(`{ runScreener(input: { categorical: [{ filterId: "1", values: ["energy", "FINANCIAL SERVICES"] }], sort: { field: SYMBOL, direction: ASC } }) { edges { node { symbol } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.runScreener.edges.map((edge: any) => edge.node.symbol)).toEqual(['BSL', 'PCT']);
  });

  it('of a saved screener are stored in the option’s own spelling', async () => {
    const { data, errors } = await t.graphql(
      `mutation { createCustomScreener(input: { name: "Case", categorical: [{ filterId: "2", values: ["nyse"] }] }) { id categorical { values } } }`,
      {},
      user.headers,
    );
    expect(errors).toBeUndefined();
    expect(data!.createCustomScreener.categorical).toEqual([{ values: ['NYSE'] }]);
    await t.graphql(`mutation($id: ID!) { deleteCustomScreener(id: $id) }`, { id: data!.createCustomScreener.id }, user.headers);
  });

  it('of runScreener answer an unknown value with BAD_USER_INPUT listing the options', async () => {
    const { errors } = await t.graphql(`{ runScreener(input: { categorical: [{ filterId: "2", values: ["nyse", "LSE%"] }] }) { totalCount } }`);
    expect(errors![0]).toMatchObject({
      message: 'categorical[0].values[1]: "LSE%" is not an option of Exchange (options: NASDAQ, NYSE)',
      extensions: { code: 'BAD_USER_INPUT', field: 'categorical[0].values[1]' },
    });
  });
});
