import { createHash, createHmac } from 'node:crypto';
import { getNamedType, isInputObjectType, isObjectType } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccessTokens } from '../../src/modules/auth/access-token.js';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

const STOCKS = `
INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "market_cap") VALUES
  ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ', 3400000000000),
  ('MSFT', 'Microsoft Corporation', 'Technology', 'Software', 'NASDAQ', 3100000000000);
INSERT INTO "categorical_filter" ("id", "key", "label", "column_name", "options") VALUES
  (1, 'sector', 'Sector', 'sector', ARRAY['Technology']);
`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken } }`;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NOT_VALID = 'Access token is not valid';
const WRONG_SCHEME = 'Authorization header must be "Bearer <accessToken>" or "ApiKey <key>"';

let t: TestApp;
let owner: SignedUpUser;
let intruder: SignedUpUser;
let collectionId: string;
let screenerId: string;
let apiKeyId: string;
let portfolioId: string;
let intruderPortfolioId: string;
let orderId: string;
let strategyId: string;
let alertId: string;

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS) });
  [owner, intruder] = [await signUp(t, 'owner'), await signUp(t, 'intruder')];
  const made = await t.graphql(
    `mutation {
      createCollection(input: { name: "Owner's list", symbols: ["AAPL"] }) { id }
      createCustomScreener(input: { name: "Owner's screener", categorical: [{ filterId: "1", values: ["Technology"] }] }) { id }
      markStock(input: { symbol: "AAPL", note: "owner's secret", targetPrice: 250 }) { id }
      createApiKey(name: "Owner's key") { apiKey { id } }
    }`,
    {},
    owner.headers,
  );
  expect(made.errors).toBeUndefined();
  collectionId = made.data!.createCollection.id;
  screenerId = made.data!.createCustomScreener.id;
  const portfolio = async (user: SignedUpUser, name: string) => {
    const created = await t.graphql(`mutation($n: String!) { createPortfolio(input: { name: $n }) { id } }`, { n: name }, user.headers);
    const id = created.data!.createPortfolio.id as string;
    const funded = await t.graphql(
      `mutation($id: ID!, $k: String!) { depositCash(input: { portfolioId: $id, amount: 1000, currency: "USD", idempotencyKey: $k }) { id } }`,
      { id, k: `fund-${name}` },
      user.headers,
    );
    expect(funded.errors).toBeUndefined();
    return id;
  };
  portfolioId = await portfolio(owner, "Owner's book");
  intruderPortfolioId = await portfolio(intruder, "Intruder's book");
  const order = await t.graphql(
    `mutation($p: ID!) { placeOrder(input: { portfolioId: $p, symbol: "AAPL", side: BUY, quantity: 1, type: LIMIT, limitPrice: 1, timeInForce: GTC }) { id } }`,
    { p: portfolioId },
    owner.headers,
  );
  expect(order.errors).toBeUndefined();
  orderId = order.data!.placeOrder.id;
  const strategy = await t.graphql(
    `mutation($p: ID!) { enableStrategy(portfolioId: $p, input: { strategy: { kind: SMA_CROSSOVER }, symbols: ["AAPL"] }) { id } }`,
    { p: portfolioId },
    owner.headers,
  );
  expect(strategy.errors).toBeUndefined();
  strategyId = strategy.data!.enableStrategy.id;
  const alert = await t.graphql(`mutation { createAlert(input: { symbol: "AAPL", condition: PRICE_ABOVE, threshold: 300 }) { id } }`, {}, owner.headers);
  expect(alert.errors).toBeUndefined();
  alertId = alert.data!.createAlert.id;
  apiKeyId = made.data!.createApiKey.apiKey.id;
});
afterAll(() => t?.close());

const b64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A JWT with any header and payload, signed HS256 with `secret` (or with the signature part given). */
function jwt(header: object, payload: object, secret: string | { signature: string }): string {
  const body = `${b64url(header)}.${b64url(payload)}`;
  const signature = typeof secret === 'string' ? createHmac('sha256', secret).update(body).digest('base64url') : secret.signature;
  return `${body}.${signature}`;
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: owner.accountId, role: 'USER', tier: 'FREE', iss: 'marketgraph', aud: 'marketgraph-api', iat: now, exp: now + 600, ...overrides };
}

describe('a request with a bad access token', () => {
  const cases: [string, () => Promise<Record<string, string>>, string][] = [
    ['an expired token', async () => {
      const tokens = new AccessTokens(t.app.config.jwtSecret, t.app.config.accessTokenTtlSeconds);
      const { token } = await tokens.sign({ accountId: owner.accountId, role: 'USER', tier: 'FREE' }, new Date(Date.now() - 3_600_000));
      return { authorization: `Bearer ${token}` };
    }, 'Access token has expired: get a new one with refreshToken'],
    ['an unsigned token (alg: none)', async () => ({ authorization: `Bearer ${jwt({ alg: 'none', typ: 'JWT' }, claims(), { signature: '' })}` }), NOT_VALID],
    ['an alg: none token that still carries a signature', async () => {
      const signed = await new AccessTokens(t.app.config.jwtSecret, 600).sign({ accountId: owner.accountId, role: 'USER', tier: 'FREE' });
      return { authorization: `Bearer ${jwt({ alg: 'none', typ: 'JWT' }, claims(), { signature: signed.token.split('.')[2]! })}` };
    }, NOT_VALID],
    ['a token signed with another key', async () => ({ authorization: `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, claims(), 'another secret of at least thirty-two characters')}` }), NOT_VALID],
    ['a token signed with the right key but HS512', async () => {
      const body = `${b64url({ alg: 'HS512', typ: 'JWT' })}.${b64url(claims())}`;
      return { authorization: `Bearer ${body}.${createHmac('sha512', t.app.config.jwtSecret).update(body).digest('base64url')}` };
    }, NOT_VALID],
    ['a token whose payload was edited to make it an ADMIN', async () => {
      const [header, , signature] = intruder.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(intruder.accessToken.split('.')[1]!, 'base64url').toString());
      return { authorization: `Bearer ${header}.${b64url({ ...payload, role: 'ADMIN' })}.${signature}` };
    }, NOT_VALID],
    ['a token whose subject was swapped for another user’s', async () => {
      const [header, body, signature] = intruder.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
      return { authorization: `Bearer ${header}.${b64url({ ...payload, sub: owner.accountId })}.${signature}` };
    }, NOT_VALID],
    ['a correctly signed token with a role that does not exist', async () => ({ authorization: `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, claims({ role: 'ROOT' }), t.app.config.jwtSecret)}` }), NOT_VALID],
    ['a correctly signed token for another audience', async () => ({ authorization: `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, claims({ aud: 'some-other-api' }), t.app.config.jwtSecret)}` }), NOT_VALID],
    ['garbage with the shape of a JWT', async () => ({ authorization: 'Bearer abc.def.ghi' }), NOT_VALID],
    ['garbage without dots', async () => ({ authorization: 'Bearer garbage' }), NOT_VALID],
    ['a refresh token used as an access token', async () => ({ authorization: `Bearer ${owner.refreshToken}` }), NOT_VALID],
    ['the Basic scheme', async () => ({ authorization: `Basic ${Buffer.from('owner:password').toString('base64')}` }), WRONG_SCHEME],
    ['a token without a scheme', async () => ({ authorization: owner.accessToken }), WRONG_SCHEME],
    ['"Bearer" and nothing else', async () => ({ authorization: 'Bearer ' }), WRONG_SCHEME],
    ['two tokens in one header', async () => ({ authorization: `Bearer ${owner.accessToken} ${owner.accessToken}` }), WRONG_SCHEME],
  ];

  it.each(cases)('with %s is UNAUTHENTICATED saying what is wrong, and returns none of the user’s data', async (_, headers, message) => {
    const h = await headers();
    const responses = await Promise.all([
      t.graphql(`{ me { id email } }`, {}, h),
      t.graphql(`{ collections { id name } myStockInterests { note } }`, {}, h),
      t.graphql(`query($id: ID!) { collection(id: $id) { name } }`, { id: collectionId }, h),
      t.graphql(`mutation { createCollection(input: { name: "planted" }) { id } }`, {}, h),
    ]);
    for (const { data, errors } of responses) {
      expect(data).toBeNull();
      expect(errors).toHaveLength(1);
      expect(errors![0]).toMatchObject({ message, extensions: { code: 'UNAUTHENTICATED' } });
      expect(errors![0]!.extensions!.stacktrace).toBeUndefined();
    }
    const body = JSON.stringify(responses);
    expect(body).not.toContain(owner.email);
    expect(body).not.toContain("Owner's list");
    expect(body).not.toContain("owner's secret");
    const [{ n }] = await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM custom_collection WHERE name = 'planted'`);
    expect(n).toBe(0);
  });
});

describe('refresh token reuse', () => {
  it('minutes after a rotation revokes every token of that sign-in, and only that sign-in', async () => {
    const user = await signUp(t, 'replayed');
    const other = await t.graphql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken } }`, { e: user.email, p: user.password });
    expect(other.errors).toBeUndefined();
    const second = (await t.graphql(REFRESH, { token: user.refreshToken })).data!.refreshToken;
    const third = (await t.graphql(REFRESH, { token: second.refreshToken })).data!.refreshToken;
    // The stolen first token comes back five minutes after it was rotated.
    await t.user.sql.query(`UPDATE refresh_token SET revoked_at = now() - interval '5 minutes' WHERE token_hash = $1`, [sha256(user.refreshToken)]);
    const replay = await t.graphql(REFRESH, { token: user.refreshToken });
    expect(replay.errors![0]).toMatchObject({
      message: 'Refresh token was already used: every session of that sign-in has been ended, sign in again',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(replay.data).toBeNull();
    // The newest token of that family, which the thief may hold too, is dead.
    expect((await t.graphql(REFRESH, { token: third.refreshToken })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const family = await t.user.sql.query<{ live: number }>(
      `SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS live FROM refresh_token
       WHERE family_id = (SELECT family_id FROM refresh_token WHERE token_hash = $1)`,
      [sha256(user.refreshToken)],
    );
    expect(family[0]!.live).toBe(0);
    // The account's other sign-in goes on.
    expect((await t.graphql(REFRESH, { token: other.data!.login.refreshToken })).errors).toBeUndefined();
  });
});

/**
 * Every argument of type ID in the schema, as Type.field.argument, with what it names.
 * A new one fails the first test below until it is classified here (and, if user-owned, attacked).
 */
/** `ws`: a subscription, attacked over graphql-ws (HTTP refuses subscriptions). */
const USER_OWNED: Record<string, { kind: 'collection' | 'screener' | 'apiKey' | 'portfolio' | 'order' | 'strategy' | 'alert'; query: string; variables: (id: string) => Record<string, unknown>; ws?: true }> = {
  'Query.collection.id': { kind: 'collection', query: `query($id: ID!) { collection(id: $id) { name stocks { symbol } } }`, variables: (id) => ({ id }) },
  'Mutation.renameCollection.id': { kind: 'collection', query: `mutation($id: ID!) { renameCollection(id: $id, name: "Taken") { name } }`, variables: (id) => ({ id }) },
  'Mutation.deleteCollection.id': { kind: 'collection', query: `mutation($id: ID!) { deleteCollection(id: $id) }`, variables: (id) => ({ id }) },
  'Mutation.addStockToCollection.collectionId': { kind: 'collection', query: `mutation($id: ID!) { addStockToCollection(collectionId: $id, symbol: "MSFT") { name } }`, variables: (id) => ({ id }) },
  'Mutation.removeStockFromCollection.collectionId': { kind: 'collection', query: `mutation($id: ID!) { removeStockFromCollection(collectionId: $id, symbol: "AAPL") { name } }`, variables: (id) => ({ id }) },
  'Query.customScreener.id': { kind: 'screener', query: `query($id: ID!) { customScreener(id: $id) { name results { totalCount edges { node { symbol } } } } }`, variables: (id) => ({ id }) },
  'Mutation.updateCustomScreener.id': { kind: 'screener', query: `mutation($id: ID!) { updateCustomScreener(id: $id, input: { name: "Taken" }) { name } }`, variables: (id) => ({ id }) },
  'Mutation.deleteCustomScreener.id': { kind: 'screener', query: `mutation($id: ID!) { deleteCustomScreener(id: $id) }`, variables: (id) => ({ id }) },
  'Mutation.deleteAlert.id': { kind: 'alert', query: `mutation($id: ID!) { deleteAlert(id: $id) }`, variables: (id) => ({ id }) },
  'CreateAlertInput.screenerId': {
    kind: 'screener',
    query: `mutation($id: ID!) { createAlert(input: { symbol: "AAPL", condition: SCREENER_ENTER, screenerId: $id }) { id } }`,
    variables: (id) => ({ id }),
  },
  'Mutation.revokeApiKey.id': { kind: 'apiKey', query: `mutation($id: ID!) { revokeApiKey(id: $id) }`, variables: (id) => ({ id }) },
  'Query.portfolio.id': { kind: 'portfolio', query: `query($id: ID!) { portfolio(id: $id) { name cash } }`, variables: (id) => ({ id }) },
  'Mutation.disableStrategy.id': { kind: 'strategy', query: `mutation($id: ID!) { disableStrategy(id: $id) { id } }`, variables: (id) => ({ id }) },
  'Mutation.enableStrategy.portfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!) { enableStrategy(portfolioId: $id, input: { strategy: { kind: RSI_MEAN_REVERSION }, symbols: ["AAPL"] }) { id } }`,
    variables: (id) => ({ id }),
  },
  'Mutation.cancelOrder.id': { kind: 'order', query: `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, variables: (id) => ({ id }) },
  'PlaceOrderInput.portfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!) { placeOrder(input: { portfolioId: $id, symbol: "AAPL", side: BUY, quantity: 1, type: LIMIT, limitPrice: 1 }) { id } }`,
    variables: (id) => ({ id }),
  },
  'Subscription.orderUpdated.portfolioId': { kind: 'portfolio', ws: true, query: `subscription($id: ID!) { orderUpdated(portfolioId: $id) { id } }`, variables: (id) => ({ id }) },
  'Subscription.portfolioValueUpdated.portfolioId': {
    kind: 'portfolio',
    ws: true,
    query: `subscription($id: ID!) { portfolioValueUpdated(portfolioId: $id) { totalValue } }`,
    variables: (id) => ({ id }),
  },
  'Mutation.importActivities.portfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!, $csv: String!) { importActivities(portfolioId: $id, csv: $csv) { __typename } }`,
    variables: (id) => ({ id, csv: 'date,symbol,side,quantity,price,fee,currency\n2026-01-05,AAPL,BUY,1,1,0,USD\n' }),
  },
  // ID fields of inputs (Type.field) that name a user's object are attacked the same way.
  'CashMovementInput.portfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!) { withdrawCash(input: { portfolioId: $id, amount: 10, currency: "USD", idempotencyKey: "idor-withdraw" }) { cash } }`,
    variables: (id) => ({ id }),
  },
  'TransferCashInput.fromPortfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!, $to: ID!) { transferCash(input: { fromPortfolioId: $id, toPortfolioId: $to, amount: 10, idempotencyKey: "idor-from" }) { id } }`,
    variables: (id) => ({ id, to: intruderPortfolioId }),
  },
  'TransferCashInput.toPortfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!, $from: ID!) { transferCash(input: { fromPortfolioId: $from, toPortfolioId: $id, amount: 10, idempotencyKey: "idor-to" }) { id } }`,
    variables: (id) => ({ id, from: intruderPortfolioId }),
  },
  'RecordTradeInput.portfolioId': {
    kind: 'portfolio',
    query: `mutation($id: ID!) { recordTrade(input: { portfolioId: $id, symbol: "AAPL", side: BUY, quantity: 1, price: 1, fee: 0, currency: "USD", executedAt: "2026-01-05T15:00:00Z" }) { id } }`,
    variables: (id) => ({ id }),
  },
};
/** ID-typed input fields that name shared catalogue rows, not anything a user owns. */
const CATALOGUE_IDS = new Set(['NumericCriterionInput.filterId', 'CategoricalCriterionInput.filterId']);

/** The first result (or the errors) of a subscription over graphql-ws, shaped like an HTTP result. */
async function subscribeOnce(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<{ data?: unknown; errors?: readonly any[] }> {
  const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: headers.authorization } });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe({ query, variables }, { next: (value) => resolve({ data: value.data ?? null, errors: value.errors }), error: (e) => (Array.isArray(e) ? resolve({ data: null, errors: e }) : reject(e)), complete: () => undefined });
    });
  } finally {
    await client.dispose();
  }
}

async function ownerState() {
  const { data, errors } = await t.graphql(
    `query($c: ID!, $s: ID!, $p: ID!) {
      collection(id: $c) { name stocks { symbol } } customScreener(id: $s) { name } myStockInterests { symbol note targetPrice } apiKeys { name } alerts { symbol }
      portfolio(id: $p) { name cash positions { symbol } orders(first: 5) { edges { node { status } } } }
    }`,
    { c: collectionId, s: screenerId, p: portfolioId },
    owner.headers,
  );
  expect(errors).toBeUndefined();
  return data;
}
const ORIGINAL = {
  collection: { name: "Owner's list", stocks: [{ symbol: 'AAPL' }] },
  customScreener: { name: "Owner's screener" },
  myStockInterests: [{ symbol: 'AAPL', note: "owner's secret", targetPrice: 250 }],
  apiKeys: [{ name: "Owner's key" }],
  // The alert created in beforeAll and the one its targetPrice mark keeps (see Alerts in the README).
  alerts: [{ symbol: 'AAPL' }, { symbol: 'AAPL' }],
  portfolio: { name: "Owner's book", cash: 1000, positions: [], orders: { edges: [{ node: { status: 'NEW' } }] } },
};

describe('a signed-in user reaching for another user’s objects (IDOR)', () => {
  it('finds every ID the schema accepts classified: user-owned ones are all attacked below', () => {
    const argumentIds: string[] = [];
    const inputIds: string[] = [];
    for (const type of Object.values(t.app.schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) if (getNamedType(arg.type).name === 'ID') argumentIds.push(`${type.name}.${field.name}.${arg.name}`);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name === 'ID') inputIds.push(`${type.name}.${field.name}`);
      }
    }
    const owned = Object.keys(USER_OWNED);
    expect(argumentIds.sort()).toEqual(owned.filter((key) => key.split('.').length === 3).sort());
    expect(inputIds.sort()).toEqual([...CATALOGUE_IDS, ...owned.filter((key) => key.split('.').length === 2)].sort());
  });

  it.each(Object.entries(USER_OWNED))('gets from %s on the owner’s object exactly the NOT_FOUND an unknown id gets, and changes nothing', async (_, operation) => {
    const ownerId = { collection: collectionId, screener: screenerId, apiKey: apiKeyId, portfolio: portfolioId, order: orderId, strategy: strategyId, alert: alertId }[operation.kind];
    const run = operation.ws ? subscribeOnce : t.graphql.bind(t);
    const foreign = await run(operation.query, operation.variables(ownerId), intruder.headers);
    const unknown = await run(operation.query, operation.variables(UNKNOWN_ID), intruder.headers);
    expect(foreign.data).toBeNull();
    expect(foreign.errors).toHaveLength(1);
    expect(foreign.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    // Same status, message, path and extensions once the id itself (and each request's own id) is set aside: nothing tells them apart.
    const shown = (answer: unknown, id: string) => JSON.stringify(answer, (key, value) => (key === 'requestId' ? '<request>' : value)).replaceAll(id, '<id>');
    expect(shown(foreign, ownerId)).toBe(shown(unknown, UNKNOWN_ID));
    expect(shown(foreign, ownerId)).not.toMatch(/Owner's|AAPL|1000/);
    expect(await ownerState()).toEqual(ORIGINAL);
  });

  it('cannot see, change or remove the owner’s mark on a stock through the symbol', async () => {
    const seen = await t.graphql(`{ stock(symbol: "AAPL") { myInterest { note } } myStockInterests { note } }`, {}, intruder.headers);
    expect(seen.data).toEqual({ stock: { myInterest: null }, myStockInterests: [] });
    const unmarked = await t.graphql(`mutation { unmarkStock(symbol: "AAPL") }`, {}, intruder.headers);
    expect(unmarked.data).toEqual({ unmarkStock: false });
    const marked = await t.graphql(`mutation { markStock(input: { symbol: "AAPL", note: "intruder's", targetPrice: 1 }) { note stock { myInterest { note } } } }`, {}, intruder.headers);
    expect(marked.data).toEqual({ markStock: { note: "intruder's", stock: { myInterest: { note: "intruder's" } } } });
    expect(await ownerState()).toEqual(ORIGINAL);
    const ownerView = await t.graphql(`{ stock(symbol: "AAPL") { myInterest { note } } }`, {}, owner.headers);
    expect(ownerView.data).toEqual({ stock: { myInterest: { note: "owner's secret" } } });
    expect((await t.graphql(`mutation { unmarkStock(symbol: "AAPL") }`, {}, intruder.headers)).data).toEqual({ unmarkStock: true });
    expect(await ownerState()).toEqual(ORIGINAL);
  });

  it('never sees the owner’s objects in its own lists', async () => {
    const { data } = await t.graphql(`{ collections { id } myScreeners { id } myStockInterests { id } apiKeys { id } me { collections { id } } portfolios { id } }`, {}, intruder.headers);
    expect(data).toEqual({ collections: [], myScreeners: [], myStockInterests: [], apiKeys: [], me: { collections: [] }, portfolios: [{ id: intruderPortfolioId }] });
  });
});
