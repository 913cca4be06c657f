import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { chart, json, startFakeYahoo, type FakeYahoo } from '../../providers/yahoo-server.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const BACKFILL = `mutation($input: BackfillInput!) { backfill(input: $input) { inserted skipped errors { line symbol reason } } }`;

let t: TestApp;
let yahoo: FakeYahoo;
let importDir: string;
let admin: { authorization: string };
let user: SignedUpUser;

beforeAll(async () => {
  // The import directory: the ok/ and not-ok/ fixtures, and a link pointing out of it.
  const scratch = mkdtempSync(join(tmpdir(), 'mg-import-'));
  importDir = join(scratch, 'imports');
  cpSync(fileURLToPath(new URL('./fixtures', import.meta.url)), importDir, { recursive: true });
  writeFileSync(join(scratch, 'secret.csv'), 'symbol,date,open,high,low,close,volume\n');
  symlinkSync(join(scratch, 'secret.csv'), join(importDir, 'escape.csv'));

  yahoo = await startFakeYahoo();
  t = await startTestApp({
    prepareStock: (db) => db.sql.exec(MARKET),
    env: { CSV_IMPORT_DIR: importDir, YAHOO_BASE_URL: yahoo.baseUrl },
  });
  user = await signUp(t, 'user');
  const boss = await signUp(t, 'admin');
  await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
  const { data } = await t.graphql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: boss.email, p: boss.password });
  admin = { authorization: `Bearer ${data!.login.accessToken}` };
});
afterAll(async () => {
  await t?.close();
  await yahoo?.close();
  if (importDir) rmSync(join(importDir, '..'), { recursive: true, force: true });
});

const csv = (csvPath: string, extra: Record<string, unknown> = {}) => ({ provider: 'CSV', symbols: [], from: '2015-01-01T00:00:00Z', to: '2024-12-31T00:00:00Z', csvPath, ...extra });
const input = (extra: Record<string, unknown> = {}) => ({ provider: 'SIMULATED', symbols: ['AAPL'], from: '2023-01-02T00:00:00Z', to: '2023-01-06T00:00:00Z', ...extra });

describe('backfill: who may run it', () => {
  it('is UNAUTHENTICATED without a token and FORBIDDEN for a user who is not an administrator', async () => {
    const anonymous = await t.graphql(BACKFILL, { input: input() });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const plain = await t.graphql(BACKFILL, { input: input() }, user.headers);
    expect(plain.errors![0]).toMatchObject({ message: 'Only administrators may do this', extensions: { code: 'FORBIDDEN' } });
    const [{ n }] = await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_price WHERE ts < '2023-02-01'`);
    expect(n).toBe(0);
  });
});

describe('backfill: validation', () => {
  const many = Array.from({ length: 101 }, (_, i) => `S${i}`);
  it.each([
    ['a symbol that is not listed', input({ symbols: ['AAPL', 'NOPE'] }), 'symbols[1]: no stock has the symbol NOPE'],
    ['a malformed symbol', input({ symbols: ['AA PL'] }), 'symbols[0]: must be 1-10 letters, digits, "." or "-"'],
    ['more than 100 symbols', input({ symbols: many }), 'symbols: must name at most 100 symbols'],
    ['no symbols for a remote provider', input({ symbols: [] }), 'symbols: must name at least one symbol'],
    ['from after to', input({ from: '2023-02-01T00:00:00Z', to: '2023-01-01T00:00:00Z' }), 'from: "from" must not be after "to"'],
    ['a range over 10 years', input({ from: '2010-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' }), 'to: the range must not exceed 10 years'],
    ['a MINUTE range over 31 days', input({ interval: 'MINUTE', to: '2023-03-01T00:00:00Z' }), 'to: a MINUTE range must not exceed 31 days'],
    ['a WEEK interval (aggregated, never stored)', input({ interval: 'WEEK' }), 'interval: must be MINUTE, HOUR or DAY: WEEK and MONTH candles are aggregated from DAY candles, so backfill DAY'],
    ['csvPath with another provider', input({ csvPath: 'ok/prices.csv' }), 'csvPath: is only for the CSV provider'],
    ['CSV without csvPath', csv('', {}), 'csvPath: is required for the CSV provider'],
    ['CSV with an intraday interval', csv('ok/prices.csv', { interval: 'HOUR', to: '2015-01-02T00:00:00Z' }), 'interval: CSV files hold DAY candles only'],
    ['a path out of the import directory', csv('../../../../etc/passwd'), 'csvPath: must name a file inside the import directory'],
    ['an absolute path elsewhere', csv('/etc/passwd'), 'csvPath: must name a file inside the import directory'],
    ['a link out of the import directory', csv('escape.csv'), 'csvPath: must name a file inside the import directory'],
    ['the import directory itself', csv('ok/..'), 'csvPath: must name a file inside the import directory'],
    ['a folder', csv('ok'), 'csvPath: is not a file'],
    ['a file that does not exist', csv('ok/missing.csv'), 'csvPath: no file "ok/missing.csv" in the import directory'],
  ])('rejects %s as BAD_USER_INPUT', async (_, value, message) => {
    const { data, errors } = await t.graphql(BACKFILL, { input: value }, admin);
    expect(data).toBeNull();
    expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('backfill: running it', () => {
  it('imports a CSV file from the import directory, and a second run inserts nothing', async () => {
    const first = await t.graphql(BACKFILL, { input: csv('ok/prices.csv') }, admin);
    expect(first.data).toEqual({ backfill: { inserted: 4, skipped: 0, errors: [] } });
    const again = await t.graphql(BACKFILL, { input: csv('./ok/../ok/prices.csv') }, admin);
    expect(again.data).toEqual({ backfill: { inserted: 0, skipped: 4, errors: [] } });
    const { data } = await t.graphql(`{ stock(symbol: "MSFT") { candles(from: "2024-01-01T00:00:00Z", to: "2024-01-31T00:00:00Z") { timestamp close volume } } }`);
    expect(data!.stock.candles).toEqual([
      { timestamp: '2024-01-02T00:00:00.000Z', close: 370.87, volume: 25258600 },
      { timestamp: '2024-01-03T00:00:00.000Z', close: 370.6, volume: 23083500 },
    ]);
  });

  it('reports the bad rows of a CSV file with their lines and lands the good ones', async () => {
    const { data } = await t.graphql(BACKFILL, { input: csv('not-ok/mixed.csv') }, admin);
    expect(data!.backfill.inserted).toBe(2);
    expect(data!.backfill.errors.map((e: { line: number; symbol: string | null; reason: string }) => `${e.line} ${e.symbol} ${e.reason}`)).toEqual([
      '3 null expected 7 columns, got 4',
      '4 AAPL unparsable number in close: "abc"',
      '5 AAPL negative price in open: -186.86',
      '6 AAPL high 185.00 is below low 188.61',
      '7 AAPL unknown date "2024-02-30": expected YYYY-MM-DD',
      '8 TSLA unknown symbol TSLA',
      '10 AAPL unknown date "02/12/2024": expected YYYY-MM-DD',
    ]);
  });

  it('backfills the simulated price path', async () => {
    const { data } = await t.graphql(BACKFILL, { input: input({ symbols: ['aapl', 'XOM'] }) }, admin);
    expect(data).toEqual({ backfill: { inserted: 10, skipped: 0, errors: [] } });
  });

  it('backfills from Yahoo at YAHOO_BASE_URL, reporting a symbol Yahoo does not know', async () => {
    yahoo.routes.set('NVDA', json(200, chart('NVDA', ['2023-06-01', '2023-06-02'], [[39.5, 40.2, 39.1, 39.77, 500000000, 39.75], [40, 40.5, 39.8, 40.31, 400000000, 40.29]])));
    yahoo.routes.set('BRK-B', json(404, { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } }));
    const { data } = await t.graphql(BACKFILL, { input: input({ provider: 'YAHOO', symbols: ['NVDA', 'BRK.B'], from: '2023-06-01T00:00:00Z', to: '2023-06-02T00:00:00Z' }) }, admin);
    expect(data).toEqual({
      backfill: { inserted: 2, skipped: 0, errors: [{ line: null, symbol: 'BRK.B', reason: 'yahoo: BRK.B: No data found, symbol may be delisted (Not Found)' }] },
    });
  });
});
