import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../../src/modules/portfolio/import.validation.js';
import { CREATE, PORTFOLIO } from './operations.js';

// AAPL 190, MSFT 396 (USD), ASML 700 (EUR), EURUSD 1.10, ZZZZ blacklisted; plus EURUSD as the FX row it is in a seeded database.
const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const FX_ROW = `INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "currency", "country", "asset_class")
  VALUES ('EURUSD', 'Euro / US Dollar', 'Currencies', 'Currency pair', 'FX', 'USD', 'XX', 'FX');`;
const fixture = (path: string) => readFileSync(new URL(`./fixtures/import/${path}`, import.meta.url), 'utf8');

const IMPORT = `mutation($portfolioId: ID!, $csv: String!, $dryRun: Boolean, $strict: Boolean) {
  importActivities(portfolioId: $portfolioId, csv: $csv, dryRun: $dryRun, strict: $strict) {
    dryRun strict committed rows imported rejected
    counts { buys sells dividends fees deposits withdrawals }
    errors { line field code message }
    cash { currency amount }
    positions { symbol currency quantity averageCost }
  }
}`;

let t: TestApp;
let ada: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET + FX_ROW) });
  ada = await signUp(t, 'importer');
});
afterAll(() => t?.close());

const ok = <T = any>(query: string, variables: Record<string, unknown>, user: SignedUpUser = ada) => t.data<T>(query, variables, user.headers);

const newPortfolio = async (input: Record<string, unknown> = {}) => (await ok(CREATE, { input: { name: `Import ${randomUUID().slice(0, 8)}`, ...input } })).createPortfolio.id as string;
const importCsv = async (portfolioId: string, csv: string, options: { dryRun?: boolean; strict?: boolean } = {}) =>
  (await ok(IMPORT, { portfolioId, csv, ...options })).importActivities;

async function bookRows(portfolioId: string) {
  const [row] = await t.user.sql.query<{ cash: number; positions: number; trades: number }>(
    `SELECT (SELECT count(*)::int FROM cash_equity_book WHERE portfolio_id = $1) AS cash,
            (SELECT count(*)::int FROM positions_book WHERE portfolio_id = $1) AS positions,
            (SELECT count(*)::int FROM trade_execution_log WHERE portfolio_id = $1) AS trades`,
    [portfolioId],
  );
  return { cash: Number(row!.cash), positions: Number(row!.positions), trades: Number(row!.trades) };
}

const none = { buys: 0, sells: 0, dividends: 0, fees: 0, deposits: 0, withdrawals: 0 };

describe('importActivities with good files (fixtures/import/ok)', () => {
  it('books every side of basic.csv in one go: deposit, buys, a sell, a dividend net of withholding, a fee and a withdrawal', async () => {
    const id = await newPortfolio();
    const report = await importCsv(id, fixture('ok/basic.csv'));
    expect(report).toEqual({
      dryRun: false, strict: false, committed: true, rows: 7, imported: 7, rejected: 0,
      counts: { buys: 2, sells: 1, dividends: 1, fees: 1, deposits: 1, withdrawals: 1 },
      errors: [],
      // 10000 - 1800 - 1 - 1000 + 760 - 1 + 1.50 - 0.23 - 4.99 - 500
      cash: [{ currency: 'USD', amount: 7454.28 }],
      positions: [
        { symbol: 'AAPL', currency: 'USD', quantity: 6, averageCost: 180 },
        { symbol: 'MSFT', currency: 'USD', quantity: 2.5, averageCost: 400 },
      ],
    });
    const { portfolio } = await ok(PORTFOLIO, { id });
    expect(portfolio.cash).toBe(7454.28);
    expect(portfolio.realizedPnl).toBe(40);
    const { portfolio: traded } = await ok(`query($id: ID!) { portfolio(id: $id) { trades(first: 10) { edges { node { symbol side source executedAt } } } } }`, { id });
    expect(traded.trades.edges.map((e: any) => e.node)).toEqual([
      { symbol: 'AAPL', side: 'SELL', source: 'IMPORTED', executedAt: '2025-03-05T21:00:00.000Z' },
      { symbol: 'MSFT', side: 'BUY', source: 'IMPORTED', executedAt: '2025-03-04T21:00:00.000Z' },
      { symbol: 'AAPL', side: 'BUY', source: 'IMPORTED', executedAt: '2025-03-04T21:00:00.000Z' },
    ]);
    const reasons = await t.user.sql.query<{ reason: string; delta: string }>(
      'SELECT reason::text AS reason, delta::text AS delta FROM cash_equity_book WHERE portfolio_id = $1 ORDER BY id', [id]);
    expect(reasons.map((r) => `${r.reason} ${Number(r.delta)}`)).toEqual([
      'DEPOSIT 10000', 'TRADE -1800', 'FEE -1', 'TRADE -1000', 'TRADE 760', 'FEE -1', 'DIVIDEND 1.5', 'FEE -0.23', 'FEE -4.99', 'WITHDRAWAL -500',
    ]);
  });

  it('reads a header in another order, in any case, with aliases left alone and unknown columns ignored, and an amount column', async () => {
    const report = await importCsv(await newPortfolio(), fixture('ok/reordered-header.csv'));
    expect(report).toMatchObject({ imported: 2, rejected: 0, cash: [{ currency: 'USD', amount: 3195 }], positions: [{ symbol: 'AAPL', quantity: 10, averageCost: 180.5 }] });
  });

  it('reads a BOM, CRLF line ends and quoted fields with commas, doubled quotes and a line break inside', async () => {
    const report = await importCsv(await newPortfolio(), fixture('ok/quoted-bom-crlf.csv'));
    // 2000 - 600.15 - 0.50 + 198
    expect(report).toMatchObject({ rows: 3, imported: 3, rejected: 0, cash: [{ currency: 'USD', amount: 1597.35 }], positions: [{ symbol: 'MSFT', quantity: 1, averageCost: 400.1 }] });
  });

  it('books a newest-first export in date order, so the sell follows its buy and the deposit', async () => {
    const id = await newPortfolio();
    const report = await importCsv(id, fixture('ok/newest-first.csv'));
    expect(report).toMatchObject({ imported: 3, rejected: 0, cash: [{ currency: 'USD', amount: 1050 }], positions: [] });
    expect((await ok(PORTFOLIO, { id })).portfolio.realizedPnl).toBe(50);
  });

  it('books a EUR listing into a USD portfolio in euros, at the stored EURUSD rate', async () => {
    const id = await newPortfolio();
    const report = await importCsv(id, fixture('ok/euro-listing.csv'));
    // 5000 - 1400 - 3.50 + 2 × 1.52, all in EUR
    expect(report).toMatchObject({ imported: 3, rejected: 0, counts: { ...none, deposits: 1, buys: 1, dividends: 1 }, cash: [{ currency: 'EUR', amount: 3599.54 }] });
    const [trade] = await t.user.sql.query<{ notional: string; notional_local: string; fx_rate: string; currency: string }>(
      'SELECT notional::text, notional_local::text, fx_rate::text, currency FROM trade_execution_log WHERE portfolio_id = $1', [id]);
    expect([Number(trade!.notional_local), Number(trade!.fx_rate), Number(trade!.notional), trade!.currency]).toEqual([1400, 1.1, 1540, 'EUR']);
    // 3599.54 EUR cash and 2 × 700 EUR of ASML at 1.10 dollars per euro.
    expect((await ok(PORTFOLIO, { id })).portfolio.totalValue).toBeCloseTo((3599.54 + 1400) * 1.1, 6);
  });
});

// Every not-ok line file: line 2 a good deposit, line 3 the bad line, line 4 a good buy (line numbers count the header as 1).
const BAD_LINES: { file: string; line?: number; field: string | null; code?: string; message: RegExp }[] = [
  { file: 'unknown-side.csv', field: 'side', message: /^side: "TRANSFER" is not one of BUY, SELL, DIVIDEND, FEE, DEPOSIT, WITHDRAWAL$/ },
  { file: 'bad-date.csv', field: 'date', message: /^date: 2025-02-30 is not a calendar date$/ },
  { file: 'future-date.csv', field: 'date', message: /in the future/ },
  { file: 'sell-beyond-holding.csv', field: null, code: 'INSUFFICIENT_POSITION', message: /holds 0 MSFT and cannot sell 3/ },
  { file: 'buy-beyond-cash.csv', field: null, code: 'INSUFFICIENT_FUNDS', message: /^Insufficient funds: USD cash is 1000 and this needs 4000$/ },
  { file: 'withdrawal-beyond-cash.csv', field: null, code: 'INSUFFICIENT_FUNDS', message: /needs 5000/ },
  { file: 'unknown-symbol.csv', field: 'symbol', message: /^symbol: no listed stock has the symbol NOPE$/ },
  { file: 'blacklisted-symbol.csv', field: 'symbol', message: /ZZZZ is blacklisted/ },
  { file: 'fx-pair.csv', field: 'symbol', message: /^symbol: EURUSD is an FX pair, not a stock$/ },
  { file: 'over-precise-quantity.csv', field: 'quantity', message: /^quantity: must have at most 6 decimal places/ },
  { file: 'negative-quantity.csv', field: 'quantity', message: /not a plain decimal number/ },
  { file: 'over-precise-fee.csv', field: 'fee', message: /^fee: must have at most 2 decimal places \(money in USD\)$/ },
  { file: 'wrong-currency.csv', field: 'currency', message: /^currency: AAPL trades in USD, not EUR$/ },
  { file: 'unknown-currency.csv', field: 'currency', message: /^currency: XYZ is not one of USD/ },
  { file: 'wrong-field-count.csv', field: null, message: /^has 4 fields; the header has 7$/ },
  { file: 'thousands-separator.csv', field: 'price', message: /"1,000.00" is not a plain decimal/ },
  { file: 'buy-without-price.csv', field: 'price', message: /^price: a BUY line needs one$/ },
  { file: 'bad-line-after-multiline-field.csv', line: 4, field: null, code: 'INSUFFICIENT_POSITION', message: /cannot sell 1/ },
];

describe('importActivities with bad lines (fixtures/import/not-ok)', () => {
  for (const bad of BAD_LINES) {
    it(`reports ${bad.file} by its line number and lands the good lines around it`, async () => {
      const id = await newPortfolio();
      const report = await importCsv(id, fixture(`not-ok/${bad.file}`));
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ line: bad.line ?? 3, field: bad.field, code: bad.code ?? 'BAD_USER_INPUT' });
      expect(report.errors[0].message).toMatch(bad.message);
      expect(report).toMatchObject({ committed: true, rows: 3, imported: 2, rejected: 1, counts: { ...none, deposits: 1, buys: 1 } });
      expect(report.cash).toEqual([{ currency: 'USD', amount: 900 }]);
      // Nothing of the bad line is in the books, even when it failed after its trade row was written (buy-beyond-cash).
      expect(await bookRows(id)).toEqual({ cash: 2, positions: 1, trades: 1 });
    });
  }

  it('lands nothing in strict mode when any line fails, and still reports every bad line', async () => {
    const id = await newPortfolio();
    const csv = fixture('not-ok/buy-beyond-cash.csv') + '2025-03-05,NOPE,BUY,1,1,,USD\n';
    const report = await importCsv(id, csv, { strict: true });
    expect(report).toMatchObject({ strict: true, committed: false, imported: 2, rejected: 2 });
    expect(report.errors.map((e: any) => [e.line, e.code])).toEqual([[3, 'INSUFFICIENT_FUNDS'], [5, 'BAD_USER_INPUT']]);
    expect(await bookRows(id)).toEqual({ cash: 0, positions: 0, trades: 0 });
  });

  it('refuses a file without a required column, or that the parser cannot read, as a whole, writing nothing', async () => {
    const id = await newPortfolio();
    const missing = await t.graphql(IMPORT, { portfolioId: id, csv: fixture('not-ok/missing-price-column.csv') }, ada.headers);
    expect(missing.errors![0]).toMatchObject({ message: expect.stringMatching(/^csv: the header \(line 1\) lacks price/), extensions: { code: 'BAD_USER_INPUT', field: 'csv' } });
    const unclosed = await t.graphql(IMPORT, { portfolioId: id, csv: fixture('not-ok/unclosed-quote.csv') }, ada.headers);
    expect(unclosed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(unclosed.errors![0]!.message).toMatch(/^csv: line \d+: .*quote/i);
    const empty = await t.graphql(IMPORT, { portfolioId: id, csv: '' }, ada.headers);
    expect(empty.errors![0]!.message).toMatch(/^csv: is empty/);
    expect(await bookRows(id)).toEqual({ cash: 0, positions: 0, trades: 0 });
  });
});

describe('importActivities limits and scope', () => {
  it(`refuses more than ${MAX_IMPORT_ROWS} rows or ${MAX_IMPORT_BYTES} bytes with a clear error, writing nothing`, async () => {
    const id = await newPortfolio();
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => '2025-03-03,,DEPOSIT,1,,,USD').join('\n');
    const tooMany = await t.graphql(IMPORT, { portfolioId: id, csv: `date,symbol,side,quantity,price\n${rows}\n` }, ada.headers);
    expect(tooMany.errors![0]!.message).toBe(`csv: more than ${MAX_IMPORT_ROWS} rows; split the file (at most ${MAX_IMPORT_ROWS} rows, ${MAX_IMPORT_BYTES} bytes per import)`);
    // Under the character limits but over the byte limit: multi-byte characters in an ignored column.
    const wide = `date,symbol,side,quantity,price,note\n2025-03-03,,DEPOSIT,1,,${'€'.repeat(Math.ceil(MAX_IMPORT_BYTES / 3) + 10)}\n`;
    expect(wide.length).toBeLessThan(MAX_IMPORT_BYTES);
    const tooBig = await t.graphql(IMPORT, { portfolioId: id, csv: wide }, ada.headers);
    expect(tooBig.errors![0]!.message).toMatch(new RegExp(`^csv: is \\d+ bytes; at most ${MAX_IMPORT_BYTES} bytes`));
    expect(await bookRows(id)).toEqual({ cash: 0, positions: 0, trades: 0 });
    // Exactly the row limit is fine.
    const atLimit = Array.from({ length: MAX_IMPORT_ROWS }, () => '2025-03-03,,DEPOSIT,1,,,USD').join('\n');
    expect(await importCsv(id, `date,symbol,side,quantity,price,fee,currency\n${atLimit}\n`)).toMatchObject({ imported: MAX_IMPORT_ROWS, cash: [{ currency: 'USD', amount: MAX_IMPORT_ROWS }] });
  });

  it('answers NOT_FOUND for another user’s portfolio, before reading the file', async () => {
    const id = await newPortfolio();
    const mallory = await signUp(t, 'import-mallory');
    const result = await t.graphql(IMPORT, { portfolioId: id, csv: fixture('ok/basic.csv') }, mallory.headers);
    expect(result.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(await bookRows(id)).toEqual({ cash: 0, positions: 0, trades: 0 });
  });
});

describe('importActivities dry runs', () => {
  it('report exactly what the import would do (counts, errors, cash, positions) and write nothing', async () => {
    const csv = fixture('ok/basic.csv') + '2025-03-06,MSFT,SELL,10,396,,USD\n';
    const dry = await newPortfolio();
    const preview = await importCsv(dry, csv, { dryRun: true });
    expect(await bookRows(dry)).toEqual({ cash: 0, positions: 0, trades: 0 });
    expect((await ok(PORTFOLIO, { id: dry })).portfolio.cash).toBe(0);

    const real = await newPortfolio();
    const done = await importCsv(real, csv);
    expect(preview).toEqual({ ...done, dryRun: true, committed: false });
    expect(preview).toMatchObject({ imported: 7, rejected: 1, errors: [{ line: 9, code: 'INSUFFICIENT_POSITION' }] });
  });
});
