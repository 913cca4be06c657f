import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const MARKET = readFileSync(new URL('./fixtures/screener-market.sql', import.meta.url), 'utf8');

const CREATE = `mutation($input: CustomScreenerInput!) { createCustomScreener(input: $input) { id } }`;
const MY_SCREENERS = `{ myScreeners {
  id name
  numeric { min max filter { label unit } }
  categorical { values filter { label options } } } }`;

let t: TestApp;
let one: SignedUpUser;
let ten: SignedUpUser;

/** Each screener uses different filters, so the filter loaders really have several ids to batch. */
function input(i: number) {
  return {
    name: `Screener ${i}`,
    numeric: [{ filterId: String((i % 5) + 1), min: i }, { filterId: String(((i + 2) % 5) + 1), max: 1e12 }],
    categorical: [{ filterId: String((i % 2) + 1), values: i % 2 === 0 ? ['Energy'] : ['NYSE'] }],
  };
}

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  [one, ten] = await Promise.all([signUp(t, 'one'), signUp(t, 'ten')]);
  for (let i = 0; i < 10; i++) {
    for (const user of i === 0 ? [one, ten] : [ten]) {
      const { errors } = await t.graphql(CREATE, { input: input(i) }, user.headers);
      expect(errors).toBeUndefined();
    }
  }
});
afterAll(() => t?.close());

async function statementsFor(user: SignedUpUser) {
  const { data, stock, user: userStatements } = await t.coldStatements(MY_SCREENERS, {}, user.headers);
  return { screeners: data.myScreeners as any[], stock, user: userStatements };
}

describe('myScreeners is batched', () => {
  it('costs the same number of SQL statements on each database for 1 screener as for 10', async () => {
    const single = await statementsFor(one);
    const many = await statementsFor(ten);
    expect(single.screeners).toHaveLength(1);
    expect(many.screeners).toHaveLength(10);
    // user DB: screeners + numeric criteria + categorical criteria (verifying the access token reads no row);
    // stock DB, cold: the process's filter catalogue (numeric filters, categorical filters, predefined screeners),
    // read once whatever the screeners name (src/modules/screener/catalogue-cache.ts).
    expect({ stock: single.stock, user: single.user }).toEqual({ stock: 3, user: 3 });
    expect({ stock: many.stock, user: many.user }).toEqual({ stock: 3, user: 3 });
  });

  it('serves each screener its own criteria and filters', async () => {
    const { screeners } = await statementsFor(ten);
    const labels = ['Market cap', 'P/E ratio', 'Dividend yield', 'Price', 'Volume'];
    screeners.forEach((screener, i) => {
      expect(screener.name).toBe(`Screener ${i}`);
      expect(screener.numeric).toEqual([
        { min: i, max: null, filter: expect.objectContaining({ label: labels[i % 5] }) },
        { min: null, max: 1e12, filter: expect.objectContaining({ label: labels[(i + 2) % 5] }) },
      ]);
      expect(screener.categorical).toEqual([
        { values: i % 2 === 0 ? ['Energy'] : ['NYSE'], filter: expect.objectContaining({ label: i % 2 === 0 ? 'Sector' : 'Exchange' }) },
      ]);
    });
  });
});
