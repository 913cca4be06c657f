import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const STOCKS = readFileSync(new URL('./fixtures/stocks.sql', import.meta.url), 'utf8');
const CREATE = `mutation($input: CreateCollectionInput!) { createCollection(input: $input) { id name description stocks { symbol quote { price } } } }`;
const READ = `query($id: ID!) { collection(id: $id) { id name stocks { symbol } } }`;

let t: TestApp;
let alice: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS) });
  alice = await signUp(t, 'alice');
});
afterAll(() => t?.close());

async function userRows() {
  const [row] = await t.user.sql.query<{ c: number; s: number }>(
    `SELECT (SELECT count(*)::int FROM custom_collection) AS c, (SELECT count(*)::int FROM custom_collection_stock) AS s`,
  );
  return row!;
}

async function create(user: SignedUpUser, input: Record<string, unknown>) {
  const { data, errors } = await t.graphql(CREATE, { input }, user.headers);
  if (errors) throw new Error(JSON.stringify(errors));
  return data!.createCollection as { id: string; name: string; stocks: { symbol: string }[] };
}

describe('collections', () => {
  it('creates a watchlist whose stocks come back whole from the stock database, in the order given', async () => {
    const { data, errors } = await t.graphql(CREATE, { input: { name: ' Tech ', description: 'Big tech', symbols: ['msft', 'AAPL', 'msft'] } }, alice.headers);
    expect(errors).toBeUndefined();
    expect(data!.createCollection).toMatchObject({
      name: 'Tech',
      description: 'Big tech',
      stocks: [{ symbol: 'MSFT', quote: { price: 396 } }, { symbol: 'AAPL', quote: { price: 190.5 } }],
    });
  });

  it('lists the viewer’s collections through collections and me.collections', async () => {
    const user = await signUp(t, 'lister');
    const a = await create(user, { name: 'A' });
    const b = await create(user, { name: 'B', symbols: ['XOM'] });
    const { data } = await t.graphql(`{ collections { id } me { collections { id name stocks { symbol } } } }`, {}, user.headers);
    expect(data!.collections.map((c: any) => c.id)).toEqual([a.id, b.id]);
    expect(data!.me.collections).toEqual([
      { id: a.id, name: 'A', stocks: [] },
      { id: b.id, name: 'B', stocks: [{ symbol: 'XOM' }] },
    ]);
  });

  it('renames, adds, removes and deletes', async () => {
    const list = await create(alice, { name: 'Energy', symbols: ['XOM'] });
    const renamed = await t.graphql(`mutation($id: ID!) { renameCollection(id: $id, name: "Oil") { name } }`, { id: list.id }, alice.headers);
    expect(renamed.data!.renameCollection.name).toBe('Oil');
    const added = await t.graphql(`mutation($id: ID!) { addStockToCollection(collectionId: $id, symbol: "aapl") { stocks { symbol } } }`, { id: list.id }, alice.headers);
    expect(added.data!.addStockToCollection.stocks).toEqual([{ symbol: 'XOM' }, { symbol: 'AAPL' }]);
    const again = await t.graphql(`mutation($id: ID!) { addStockToCollection(collectionId: $id, symbol: "AAPL") { stocks { symbol } } }`, { id: list.id }, alice.headers);
    expect(again.data!.addStockToCollection.stocks).toHaveLength(2);
    const removed = await t.graphql(`mutation($id: ID!) { removeStockFromCollection(collectionId: $id, symbol: "XOM") { stocks { symbol } } }`, { id: list.id }, alice.headers);
    expect(removed.data!.removeStockFromCollection.stocks).toEqual([{ symbol: 'AAPL' }]);
    const deleted = await t.graphql(`mutation($id: ID!) { deleteCollection(id: $id) }`, { id: list.id }, alice.headers);
    expect(deleted.data!.deleteCollection).toBe(true);
    const gone = await t.graphql(READ, { id: list.id }, alice.headers);
    expect(gone.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const [{ n }] = await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM custom_collection_stock WHERE collection_id = $1`, [list.id]);
    expect(n).toBe(0);
  });

  it('leaves exactly one row when the same symbol is added by many requests at once', async () => {
    const list = await create(alice, { name: 'Race' });
    const adds = Array.from({ length: 8 }, () =>
      t.graphql(`mutation($id: ID!) { addStockToCollection(collectionId: $id, symbol: "MSFT") { id } }`, { id: list.id }, alice.headers),
    );
    const results = await Promise.all(adds);
    expect(results.every((r) => !r.errors)).toBe(true);
    const [{ n }] = await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM custom_collection_stock WHERE collection_id = $1`, [list.id]);
    expect(n).toBe(1);
  });
});

describe('bad input leaves both databases unchanged', () => {
  it.each([
    [{ name: '', symbols: ['AAPL'] }, 'name: must not be empty'],
    [{ name: 'x'.repeat(101) }, 'name: must be at most 100 characters'],
    [{ name: 'Bad', symbols: ['AAPL', 'NOPE'] }, 'symbols[1]: no listed stock has the symbol NOPE'],
    [{ name: 'Bad', symbols: ['ZZZZ'] }, 'symbols[0]: ZZZZ is blacklisted and cannot be added'],
    [{ name: 'Bad', symbols: ['GONE'] }, 'symbols[0]: no listed stock has the symbol GONE'],
    [{ name: 'Bad', symbols: ['AAPL', 'not a symbol!'] }, 'symbols[1]: must be 1-10 letters, digits, "." or "-"'],
    [{ name: 'Huge', symbols: Array.from({ length: 10_000 }, (_, i) => `S${i}`) }, 'symbols: must list at most 500 symbols'],
  ])('createCollection(%o) is BAD_USER_INPUT', async (input, message) => {
    const before = await userRows();
    const { data, errors } = await t.graphql(CREATE, { input }, alice.headers);
    expect(data).toBeNull();
    expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(await userRows()).toEqual(before);
  });

  it('refuses to add an unknown or blacklisted symbol, naming it', async () => {
    const list = await create(alice, { name: 'Careful' });
    const before = await userRows();
    for (const [symbol, message] of [
      ['NOPE', 'symbol: no listed stock has the symbol NOPE'],
      ['ZZZZ', 'symbol: ZZZZ is blacklisted and cannot be added'],
    ]) {
      const { errors } = await t.graphql(`mutation($id: ID!, $s: String!) { addStockToCollection(collectionId: $id, symbol: $s) { id } }`, { id: list.id, s: symbol }, alice.headers);
      expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(await userRows()).toEqual(before);
  });

  it('answers a malformed id with BAD_USER_INPUT', async () => {
    const { errors } = await t.graphql(READ, { id: 'not-a-uuid' }, alice.headers);
    expect(errors![0]).toMatchObject({ message: 'id: is not a valid id', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('stock interests', () => {
  it('marks, lists with the stock, replaces and unmarks', async () => {
    const user = await signUp(t, 'marker');
    const marked = await t.graphql(`mutation { markStock(input: { symbol: "aapl", targetPrice: 250.5, note: "  buy the dip " }) { symbol targetPrice note stock { name } } }`, {}, user.headers);
    expect(marked.data!.markStock).toEqual({ symbol: 'AAPL', targetPrice: 250.5, note: 'buy the dip', stock: { name: 'Apple Inc.' } });
    await t.graphql(`mutation { markStock(input: { symbol: "AAPL", targetPrice: 260 }) { id } }`, {}, user.headers);
    const read = await t.graphql(`{ myStockInterests { symbol targetPrice note } a: stock(symbol: "AAPL") { myInterest { targetPrice } } m: stock(symbol: "MSFT") { myInterest { targetPrice } } }`, {}, user.headers);
    expect(read.data).toEqual({ myStockInterests: [{ symbol: 'AAPL', targetPrice: 260, note: null }], a: { myInterest: { targetPrice: 260 } }, m: { myInterest: null } });
    const other = await signUp(t, 'other-marker');
    expect((await t.graphql(`{ stock(symbol: "AAPL") { myInterest { id } } }`, {}, other.headers)).data!.stock.myInterest).toBeNull();
    expect((await t.graphql(`{ stock(symbol: "AAPL") { myInterest { id } } }`)).data!.stock.myInterest).toBeNull();
    expect((await t.graphql(`mutation { unmarkStock(symbol: "AAPL") }`, {}, user.headers)).data!.unmarkStock).toBe(true);
    expect((await t.graphql(`mutation { unmarkStock(symbol: "AAPL") }`, {}, user.headers)).data!.unmarkStock).toBe(false);
  });

  it.each([
    ['{ symbol: "NOPE" }', 'symbol: no listed stock has the symbol NOPE'],
    ['{ symbol: "AAPL", targetPrice: -1 }', 'targetPrice: must be a positive price'],
  ])('rejects markStock(input: %s) as BAD_USER_INPUT', async (input, message) => {
    const { errors } = await t.graphql(`mutation { markStock(input: ${input}) { id } }`, {}, alice.headers);
    expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });
});
