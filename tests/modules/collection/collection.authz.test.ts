import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const STOCKS = readFileSync(new URL('./fixtures/stocks.sql', import.meta.url), 'utf8');

let t: TestApp;
let owner: SignedUpUser;
let intruder: SignedUpUser;
let collectionId: string;

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS) });
  [owner, intruder] = [await signUp(t, 'owner'), await signUp(t, 'intruder')];
  const { data } = await t.graphql(`mutation { createCollection(input: { name: "Mine", symbols: ["AAPL"] }) { id } }`, {}, owner.headers);
  collectionId = data!.createCollection.id;
});
afterAll(() => t?.close());

/** Every operation on one collection, by id. */
const ON_COLLECTION: [string, string][] = [
  ['collection', `query($id: ID!) { collection(id: $id) { name } }`],
  ['renameCollection', `mutation($id: ID!) { renameCollection(id: $id, name: "Stolen") { name } }`],
  ['addStockToCollection', `mutation($id: ID!) { addStockToCollection(collectionId: $id, symbol: "MSFT") { name } }`],
  ['removeStockFromCollection', `mutation($id: ID!) { removeStockFromCollection(collectionId: $id, symbol: "AAPL") { name } }`],
  ['deleteCollection', `mutation($id: ID!) { deleteCollection(id: $id) }`],
];

/** Operations that only ever touch the viewer's own data. */
const OWN_DATA: [string, string][] = [
  ['collections', `{ collections { id } }`],
  ['me.collections', `{ me { collections { id } } }`],
  ['createCollection', `mutation { createCollection(input: { name: "X" }) { id } }`],
  ['myStockInterests', `{ myStockInterests { id } }`],
  ['markStock', `mutation { markStock(input: { symbol: "AAPL" }) { id } }`],
  ['unmarkStock', `mutation { unmarkStock(symbol: "AAPL") }`],
];

async function ownerCollectionState() {
  const { data } = await t.graphql(`query($id: ID!) { collection(id: $id) { name stocks { symbol } } }`, { id: collectionId }, owner.headers);
  return data!.collection;
}

describe('another user', () => {
  it.each(ON_COLLECTION)('gets NOT_FOUND from %s on the owner’s collection, and changes nothing', async (_, query) => {
    const { data, errors } = await t.graphql(query, { id: collectionId }, intruder.headers);
    expect(data).toBeNull();
    expect(errors![0]).toMatchObject({ message: `No collection ${collectionId}`, extensions: { code: 'NOT_FOUND' } });
    expect(await ownerCollectionState()).toEqual({ name: 'Mine', stocks: [{ symbol: 'AAPL' }] });
  });

  it('gets the same NOT_FOUND for a collection that does not exist, so ids leak nothing', async () => {
    const { errors } = await t.graphql(ON_COLLECTION[0]![1], { id: '00000000-0000-4000-8000-000000000000' }, intruder.headers);
    expect(errors![0]!.message).toBe('No collection 00000000-0000-4000-8000-000000000000');
  });

  it('never sees the owner’s collections or marks in its own lists', async () => {
    await t.graphql(`mutation { markStock(input: { symbol: "MSFT", note: "owner's" }) { id } }`, {}, owner.headers);
    const { data } = await t.graphql(`{ collections { id } myStockInterests { id } me { collections { id } } }`, {}, intruder.headers);
    expect(data).toEqual({ collections: [], myStockInterests: [], me: { collections: [] } });
  });
});

describe('nobody signed in', () => {
  it.each([...ON_COLLECTION, ...OWN_DATA])('gets UNAUTHENTICATED from %s', async (_, query) => {
    const { data, errors } = await t.graphql(query, { id: collectionId });
    expect(data).toBeNull();
    expect(errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});
