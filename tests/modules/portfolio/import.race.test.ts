import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testServerUrl } from '../../support/databases.js';
import { raceOnLockedRow } from '../../support/row-barrier.js';
import { CREATE, DEPOSIT, RECORD } from './operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('import.race.test: the race needs concurrent connections to real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite, which has one');

const IMPORT = `mutation($portfolioId: ID!, $csv: String!) { importActivities(portfolioId: $portfolioId, csv: $csv) { imported errors { line code } } }`;
const WITHDRAW_600 = 'date,symbol,side,quantity,price,fee,currency\n2025-03-05,,WITHDRAWAL,600,,,USD\n';

let t: TestApp;
let user: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  user = await signUp(t, 'import-racer');
});
afterAll(() => t?.close());

describe.skipIf(!realPostgres)('imports racing other writers on one portfolio (real PostgreSQL)', () => {
  it('let exactly one of three imports and a recorded trade, each spending 60 % of the cash, land, and never book negative cash', async () => {
    for (let round = 0; round < 3; round++) {
      const created = await t.graphql(CREATE, { input: { name: 'Import race' } }, user.headers);
      const id = created.data!.createPortfolio.id as string;
      await t.graphql(DEPOSIT, { input: { portfolioId: id, amount: 1000, idempotencyKey: randomUUID() } }, user.headers);
      // Every racer has read the portfolio before any can take its lock; the lock alone orders them.
      const results = await raceOnLockedRow({
        url: t.user.url!,
        select: 'SELECT 1 FROM portfolio WHERE id = $1',
        params: [id],
        waiters: 4,
        fire: () => [
          ...Array.from({ length: 3 }, () => t.graphql(IMPORT, { portfolioId: id, csv: WITHDRAW_600 }, user.headers)),
          t.graphql(RECORD, { input: { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: 6, price: 100, executedAt: '2025-03-05T15:00:00Z' } }, user.headers),
        ],
      });
      const imports = results.slice(0, 3).map((r) => r.data!.importActivities);
      const trade = results[3]!;
      const landed = imports.filter((r) => r.imported === 1).length + (trade.errors ? 0 : 1);
      expect({ round, landed }).toEqual({ round, landed: 1 });
      for (const report of imports.filter((r) => r.imported === 0)) expect(report.errors).toEqual([{ line: 2, code: 'INSUFFICIENT_FUNDS' }]);
      if (trade.errors) expect(trade.errors[0]!.extensions!.code).toBe('INSUFFICIENT_FUNDS');
      const rows = await t.user.sql.query<{ balance: string }>('SELECT balance::text FROM cash_equity_book WHERE portfolio_id = $1 ORDER BY id', [id]);
      expect(rows.map((r) => Number(r.balance))).toEqual([1000, 400]);
    }
  });
});
