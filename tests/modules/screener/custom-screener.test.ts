import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// Filter ids and stock values: see the table at the top of the fixture.
const MARKET = readFileSync(new URL('./fixtures/screener-market.sql', import.meta.url), 'utf8');

const FIELDS = `id name description createdAt updatedAt
  numeric { min max filter { id key } }
  categorical { values filter { id key } }`;
const CREATE = `mutation($input: CustomScreenerInput!) { createCustomScreener(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: CustomScreenerInput!) { updateCustomScreener(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteCustomScreener(id: $id) }`;
const GET = `query($id: ID!) { customScreener(id: $id) { ${FIELDS} } }`;
const MINE = `{ myScreeners { id name } }`;

/** Technology or Energy, market cap >= 100e9: AAA, BBB, CCC. */
const TECH_AND_ENERGY = {
  name: '  Big tech & energy ',
  description: 'Large companies in two sectors',
  numeric: [{ filterId: '1', min: 100e9 }],
  categorical: [{ filterId: '1', values: ['Technology', 'Energy'] }],
};

let t: TestApp;
let alice: SignedUpUser;
let bob: SignedUpUser;

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  [alice, bob] = await Promise.all([signUp(t, 'alice'), signUp(t, 'bob')]);
});
afterAll(() => t?.close());

async function ok(query: string, variables: Record<string, unknown>, user: SignedUpUser): Promise<any> {
  const { data, errors } = await t.graphql(query, variables, user.headers);
  expect(errors).toBeUndefined();
  return data;
}

async function rowCounts(): Promise<{ screeners: number; numeric: number; categorical: number }> {
  const [row] = await t.user.sql.query<{ screeners: number; numeric: number; categorical: number }>(`SELECT
    (SELECT count(*) FROM custom_screener)::int AS screeners,
    (SELECT count(*) FROM custom_screener_numeric)::int AS numeric,
    (SELECT count(*) FROM custom_screener_categorical)::int AS categorical`);
  return row!;
}

describe('custom screener CRUD', () => {
  it('creates a screener with its name trimmed and criteria resolved to catalogue filters', async () => {
    const { createCustomScreener: created } = await ok(CREATE, { input: TECH_AND_ENERGY }, alice);
    expect(created).toMatchObject({
      name: 'Big tech & energy',
      description: 'Large companies in two sectors',
      numeric: [{ min: 100e9, max: null, filter: { id: '1', key: 'market_cap' } }],
      categorical: [{ values: ['Technology', 'Energy'], filter: { id: '1', key: 'sector' } }],
    });
    expect(created.createdAt).toBe(created.updatedAt);

    // Read back in a fresh request, straight from the database.
    const { customScreener } = await ok(GET, { id: created.id }, alice);
    expect(customScreener).toEqual(created);
    expect((await ok(MINE, {}, alice)).myScreeners).toEqual([{ id: created.id, name: 'Big tech & energy' }]);
    await ok(DELETE, { id: created.id }, alice);
  });

  it('keeps criteria in the order they were given', async () => {
    const numeric = [{ filterId: '4', max: 500 }, { filterId: '1', min: 1 }, { filterId: '2', max: 40 }, { filterId: '5', min: 1 }];
    const categorical = [{ filterId: '2', values: ['NYSE'] }, { filterId: '1', values: ['Energy'] }];
    const { createCustomScreener: created } = await ok(CREATE, { input: { name: 'Ordered', numeric, categorical } }, alice);
    const { customScreener } = await ok(GET, { id: created.id }, alice);
    expect(customScreener.numeric.map((c: any) => c.filter.key)).toEqual(['price', 'market_cap', 'pe_ratio', 'volume']);
    expect(customScreener.categorical.map((c: any) => c.filter.key)).toEqual(['exchange', 'sector']);
    await ok(DELETE, { id: created.id }, alice);
  });

  it('runs a saved screener with paging, sort and totalCount', async () => {
    const { createCustomScreener: created } = await ok(CREATE, { input: TECH_AND_ENERGY }, alice);
    const RESULTS = `query($id: ID!, $after: String) { customScreener(id: $id) {
      results(first: 2, after: $after, sort: { field: PRICE, direction: ASC }) {
        totalCount edges { node { symbol } } pageInfo { hasNextPage endCursor } } } }`;
    // AAA 190, BBB 80, CCC 110 by latest close ascending: BBB, CCC | AAA.
    const page1 = (await ok(RESULTS, { id: created.id }, alice)).customScreener.results;
    expect(page1.edges.map((e: any) => e.node.symbol)).toEqual(['BBB', 'CCC']);
    expect([page1.totalCount, page1.pageInfo.hasNextPage]).toEqual([3, true]);
    const page2 = (await ok(RESULTS, { id: created.id, after: page1.pageInfo.endCursor }, alice)).customScreener.results;
    expect(page2.edges.map((e: any) => e.node.symbol)).toEqual(['AAA']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    await ok(DELETE, { id: created.id }, alice);
  });

  it('updates the name and replaces every criterion', async () => {
    const { createCustomScreener: created } = await ok(CREATE, { input: TECH_AND_ENERGY }, alice);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { updateCustomScreener: updated } = await ok(
      UPDATE,
      { id: created.id, input: { name: 'Cheap', numeric: [{ filterId: '4', max: 100 }] } },
      alice,
    );
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Cheap',
      description: null,
      createdAt: created.createdAt,
      numeric: [{ min: null, max: 100, filter: { id: '4', key: 'price' } }],
      categorical: [],
    });
    expect(updated.updatedAt > created.updatedAt).toBe(true);
    expect(await rowCounts()).toEqual({ screeners: 1, numeric: 1, categorical: 0 });
    // Latest close <= 100: BBB 80, FFF 60, GGG 95, by market cap.
    const { customScreener } = await ok(`query($id: ID!) { customScreener(id: $id) { results { edges { node { symbol } } } } }`, { id: created.id }, alice);
    expect(customScreener.results.edges.map((e: any) => e.node.symbol)).toEqual(['BBB', 'FFF', 'GGG']);

    expect(await ok(DELETE, { id: created.id }, alice)).toEqual({ deleteCustomScreener: true });
    expect(await rowCounts()).toEqual({ screeners: 0, numeric: 0, categorical: 0 });
    const { errors } = await t.graphql(GET, { id: created.id }, alice.headers);
    expect(errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});

describe('bad custom screener input', () => {
  const name = 'Bad';
  it.each([
    ['an unknown numeric filter', { name, numeric: [{ filterId: '1', min: 1 }, { filterId: '999', min: 1 }] }, 'numeric[1].filterId: no numeric filter 999'],
    ['an unknown categorical filter', { name, numeric: [{ filterId: '1', min: 1 }], categorical: [{ filterId: '7', values: ['NYSE'] }] }, 'categorical[0].filterId: no categorical filter 7'],
    ['min above max', { name, numeric: [{ filterId: '2', min: 20, max: 10 }] }, 'numeric[0].min: min must not be greater than max'],
    ['a value not among the options', { name, categorical: [{ filterId: '1', values: ['Technology', 'Crypto'] }] }, 'categorical[0].values[1]: "Crypto" is not an option of Sector (options: Energy, Financials, Health Care, Technology, Utilities)'],
    ['21 criteria', { name, categorical: Array.from({ length: 21 }, () => ({ filterId: '2', values: ['NYSE'] })) }, 'categorical: at most 20 criteria in all (numeric + categorical); got 21'],
    ['a blank name', { name: '   ' }, 'name: must be 1-100 characters'],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'name: must be 1-100 characters'],
  ])('rejects %s as BAD_USER_INPUT and writes nothing', async (_, input, message) => {
    const { data, errors } = await t.graphql(CREATE, { input }, alice.headers);
    expect(data).toBeNull();
    expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field: message.split(':')[0] } });
    expect(await rowCounts()).toEqual({ screeners: 0, numeric: 0, categorical: 0 });
  });

  it('leaves a screener untouched when an update is rejected', async () => {
    const { createCustomScreener: created } = await ok(CREATE, { input: TECH_AND_ENERGY }, alice);
    const { errors } = await t.graphql(
      UPDATE,
      { id: created.id, input: { name: 'Renamed', numeric: [{ filterId: '2', max: 10 }, { filterId: '999', min: 1 }] } },
      alice.headers,
    );
    expect(errors![0]).toMatchObject({ message: 'numeric[1].filterId: no numeric filter 999', extensions: { code: 'BAD_USER_INPUT' } });
    expect((await ok(GET, { id: created.id }, alice)).customScreener).toEqual(created);
    await ok(DELETE, { id: created.id }, alice);
  });
});

describe('custom screener authorization', () => {
  let aliceScreener: any;
  beforeAll(async () => {
    aliceScreener = (await ok(CREATE, { input: TECH_AND_ENERGY }, alice)).createCustomScreener;
  });

  const operations = (id: string): [string, string, Record<string, unknown>][] => [
    ['customScreener', GET, { id }],
    ['customScreener.results', `query($id: ID!) { customScreener(id: $id) { results { totalCount } } }`, { id }],
    ['updateCustomScreener', UPDATE, { id, input: { name: 'Mine now' } }],
    ['deleteCustomScreener', DELETE, { id }],
  ];

  it("answers NOT_FOUND to every operation on another user's screener, and changes nothing", async () => {
    for (const [name, query, variables] of operations(aliceScreener.id)) {
      const { data, errors } = await t.graphql(query, variables, bob.headers);
      expect({ name, data, code: errors?.[0]?.extensions?.code }).toEqual({ name, data: null, code: 'NOT_FOUND' });
      expect(JSON.stringify(errors)).not.toContain('Big tech');
    }
    expect((await ok(MINE, {}, bob)).myScreeners).toEqual([]);
    expect((await ok(GET, { id: aliceScreener.id }, alice)).customScreener).toEqual(aliceScreener);
  });

  it('answers NOT_FOUND for an unknown id, exactly as for another user’s', async () => {
    for (const [name, query, variables] of operations('5f0c6d2e-8a7b-4c1d-9e2f-3a4b5c6d7e8f')) {
      const { errors } = await t.graphql(query, variables, alice.headers);
      expect([name, errors?.[0]?.extensions?.code]).toEqual([name, 'NOT_FOUND']);
    }
  });

  it('answers BAD_USER_INPUT naming the id for an id that cannot be one', async () => {
    for (const [name, query, variables] of operations('not-an-id')) {
      const { errors } = await t.graphql(query, variables, alice.headers);
      expect([name, errors?.[0]?.extensions?.code, errors?.[0]?.message]).toEqual([name, 'BAD_USER_INPUT', 'id: is not a valid id']);
    }
  });

  it.each([
    ['nobody', {}],
    ['a malformed token', { authorization: 'Bearer not.a.token' }],
  ])('answers UNAUTHENTICATED to every query and mutation from %s', async (_, headers) => {
    const all: [string, string, Record<string, unknown>][] = [
      ['myScreeners', MINE, {}],
      ['createCustomScreener', CREATE, { input: TECH_AND_ENERGY }],
      ...operations(aliceScreener.id),
    ];
    for (const [name, query, variables] of all) {
      const { errors } = await t.graphql(query, variables, headers as Record<string, string>);
      expect([name, errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
    }
    expect(await rowCounts()).toEqual({ screeners: 1, numeric: 1, categorical: 1 });
  });

  it('leaves the public catalogue open to nobody', async () => {
    const { data, errors } = await t.graphql(`{ screeners { key } numericFilters { key } categoricalFilters { key } }`);
    expect(errors).toBeUndefined();
    expect(data!.screeners).toHaveLength(3);
  });
});
