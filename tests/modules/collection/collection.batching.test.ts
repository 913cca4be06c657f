import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// 60 stocks S01..S60 with 40 daily candles each; the blacklist is cleared so all 60 can be listed.
const MANY_STOCKS = readFileSync(new URL('../stock/fixtures/many-stocks.sql', import.meta.url), 'utf8');
const QUERY = `{ me { collections { name stocks { symbol quote { price } } } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(`${MANY_STOCKS}; DELETE FROM blacklist;`) });
});
afterAll(() => t?.close());

const symbol = (i: number) => `S${String(i).padStart(2, '0')}`;
const listable = Array.from({ length: 60 }, (_, i) => symbol(i + 1));

async function userWithCollections(count: number, size: number): Promise<SignedUpUser> {
  const user = await signUp(t, `batch${count}x${size}`);
  for (let c = 0; c < count; c += 1) {
    const symbols = listable.slice(c % 3, (c % 3) + size);
    const { errors } = await t.graphql(`mutation($input: CreateCollectionInput!) { createCollection(input: $input) { id } }`, { input: { name: `list ${c}`, symbols } }, user.headers);
    if (errors) throw new Error(JSON.stringify(errors));
  }
  return user;
}

/** Statements of one query, stock row cache cold (creating the fixtures warmed it). */
async function statements(user: SignedUpUser) {
  const { data, stock, user: userStatements } = await t.coldStatements(QUERY, {}, user.headers);
  return { result: { data }, stock, user: userStatements };
}

describe('me { collections { stocks { quote } } }', () => {
  it('costs the same SQL statements on both databases for 10 collections of 50 stocks as for 1 of 1', async () => {
    const small = await statements(await userWithCollections(1, 1));
    const large = await statements(await userWithCollections(10, 50));
    const collections = large.result.data!.me.collections as { stocks: { quote: { price: number } }[] }[];
    expect(collections).toHaveLength(10);
    expect(collections.every((c) => c.stocks.length === 50 && c.stocks.every((s) => s.quote.price === 140.5))).toBe(true);
    // user DB: account + the collections with their symbols (one statement); stock DB: stocks + quotes.
    expect({ stock: small.stock, user: small.user }).toEqual({ stock: 2, user: 2 });
    expect({ stock: large.stock, user: large.user }).toEqual({ stock: small.stock, user: small.user });
  });
});

describe('collection(id) { stocks { quote } } (the watchlist read)', () => {
  const WATCHLIST = `query($id: ID!) { collection(id: $id) { name stocks { symbol name quote { price change } } } }`;

  it('reads a watchlist of 50 in three statements: the collection with its symbols, the stock rows, the quotes', async () => {
    const user = await signUp(t, 'watchlist50');
    const { createCollection } = await t.data(`mutation($input: CreateCollectionInput!) { createCollection(input: $input) { id } }`, { input: { name: 'fifty', symbols: listable.slice(0, 50) } }, user.headers);
    const cold = await t.coldStatements(WATCHLIST, { id: createCollection.id }, user.headers);
    expect(cold.data.collection.stocks.map((s: { symbol: string }) => s.symbol)).toEqual(listable.slice(0, 50));
    expect(cold.data.collection.stocks.every((s: { quote: { price: number } }) => s.quote.price === 140.5)).toBe(true);
    expect({ stock: cold.stock, user: cold.user }).toEqual({ stock: 2, user: 1 });
  });

  it('answers NOT_FOUND for another user’s collection read the same way', async () => {
    const [owner, other] = [await signUp(t, 'owner50'), await signUp(t, 'other50')];
    const { createCollection } = await t.data(`mutation($input: CreateCollectionInput!) { createCollection(input: $input) { id } }`, { input: { name: 'mine', symbols: ['S01'] } }, owner.headers);
    const error = await t.firstError(WATCHLIST, { id: createCollection.id }, other.headers);
    expect(error.extensions?.code).toBe('NOT_FOUND');
  });
});
