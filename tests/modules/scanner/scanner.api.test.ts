import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankHits, scanMany, SCAN_KINDS } from '../../../src/modules/scanner/scan-math.js';
import { latestRunKey, runResultsKey } from '../../../src/modules/scanner/scanner.runner.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { buildMarket, marketSql, recentWeekday } from './fixtures/candles.js';

// The fixture's market, its last candle on the latest weekday, so that a scan run now finds every symbol fresh.
const MARKET = buildMarket(recentWeekday());
const RUN = `mutation($tf: ScanTimeframe) { runMarketScan(timeframe: $tf) { timeframe scannedAt resultCount symbolCount kinds { kind count } } }`;
const SCAN = `query($tf: ScanTimeframe, $kind: ScanKind!, $first: Int, $after: String) {
  marketScan(timeframe: $tf, kind: $kind, first: $first, after: $after) {
    edges { cursor node { stock { symbol name } kind rank value changePercent volumeRatio trend support resistance scannedAt timeframe } }
    pageInfo { hasNextPage endCursor }
    run { scannedAt resultCount }
  }
}`;

let t: TestApp;
let admin: { authorization: string };
let user: SignedUpUser;
beforeAll(async () => {
  // The response cache on, as in production: a new run must replace cached answers there too.
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(marketSql(MARKET)), env: { RESPONSE_CACHE: 'on' } });
  user = await signUp(t, 'user');
  const boss = await signUp(t, 'admin');
  await t.user.sql.query(`UPDATE account SET role = 'ADMIN' WHERE id = $1`, [boss.accountId]);
  const { data } = await t.graphql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: boss.email, p: boss.password });
  admin = { authorization: `Bearer ${data!.login.accessToken}` };
});
afterAll(() => t?.close());

const expectedHits = (timeframe: 'DAILY' | 'WEEKLY', kind: string) => rankHits(scanMany(MARKET, timeframe)).filter((h) => h.kind === kind);

describe('marketScan, runMarketScan and scanCompleted', () => {
  it('answers an empty page with no run before the first scan', async () => {
    const page = (await t.data(SCAN, { kind: 'GAINERS' })).marketScan;
    expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, run: null });
  });

  it('refuses runMarketScan to a signed-out caller and to a user who is not an administrator', async () => {
    expect((await t.firstError(RUN, { tf: 'DAILY' })).extensions?.code).toBe('UNAUTHENTICATED');
    expect(await t.firstError(RUN, { tf: 'DAILY' }, user.headers)).toMatchObject({ message: 'Only administrators may do this', extensions: { code: 'FORBIDDEN' } });
    expect((await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM market_scan_run`))[0]!.n).toBe(0);
  });

  it('runs a DAILY scan for an administrator and announces it to scanCompleted subscribers', async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const got: any[] = [];
    const weekly: any[] = [];
    client.subscribe({ query: `subscription { scanCompleted(timeframe: DAILY) { timeframe scannedAt resultCount kinds { kind count } } }` }, { next: (v) => void got.push(v.data), error: () => undefined, complete: () => undefined });
    client.subscribe({ query: `subscription { scanCompleted(timeframe: WEEKLY) { timeframe } }` }, { next: (v) => void weekly.push(v.data), error: () => undefined, complete: () => undefined });
    await new Promise((r) => setTimeout(r, 300));

    const run = (await t.data(RUN, { tf: 'DAILY' }, admin)).runMarketScan;
    const all = rankHits(scanMany(MARKET, 'DAILY'));
    expect(run).toMatchObject({ timeframe: 'DAILY', resultCount: all.length, symbolCount: MARKET.length - 1 });
    expect(run.kinds).toEqual(SCAN_KINDS.map((kind) => ({ kind, count: all.filter((h) => h.kind === kind).length })));
    await expect.poll(() => got, { timeout: 5000 }).toEqual([{ scanCompleted: { timeframe: 'DAILY', scannedAt: run.scannedAt, resultCount: run.resultCount, kinds: run.kinds } }]);
    expect(weekly).toEqual([]);
    await client.dispose();
  });

  it('pages one kind of the latest run in rank order with each stock, as the scan maths ranked it', async () => {
    const expected = expectedHits('DAILY', 'MOST_ACTIVE');
    expect(expected.length).toBeGreaterThan(5);
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await t.data(SCAN, { kind: 'MOST_ACTIVE', first: 4, after })).marketScan;
      seen.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.map((n) => [n.rank, n.stock.symbol])).toEqual(expected.map((h) => [h.rank, h.scan.symbol]));
    const top = expected[0]!;
    expect(seen[0]).toMatchObject({ kind: 'MOST_ACTIVE', timeframe: 'DAILY', stock: { symbol: top.scan.symbol, name: `${top.scan.symbol} Corp.` }, trend: top.scan.trend });
    expect(seen[0].value).toBeCloseTo(top.value, 6);
    expect(seen[0].support).toBeCloseTo(top.scan.support, 6);
    expect(seen[0].resistance).toBeCloseTo(top.scan.resistance, 6);
    expect(seen[0].changePercent).toBeCloseTo(top.scan.changePercent, 6);
  });

  it('costs the same statements for a page of 2 as for a page of 11 or 12, cached or not', async () => {
    const small = await t.coldStatements(SCAN, { kind: 'GAINERS', first: 2 });
    const large = await t.coldStatements(SCAN, { kind: 'MOST_ACTIVE', first: 12 });
    expect(large.data.marketScan.edges).toHaveLength(12);
    // Run and hits from the cache the run filled: only the stock rows.
    expect([small.stock, large.stock]).toEqual([1, 1]);
    const uncached = async (kind: string, first: number) => {
      const run = (await t.data(SCAN, { kind, first: 1 })).marketScan.run;
      await t.app.cache.delete(latestRunKey('DAILY'));
      await t.app.cache.delete(runResultsKey('DAILY', new Date(run.scannedAt), kind as never));
      return t.coldStatements(SCAN, { kind, first });
    };
    const coldSmall = await uncached('LOSERS', 2);
    const coldLarge = await uncached('MOST_ACTIVE', 11);
    expect(coldLarge.data.marketScan.edges).toHaveLength(11);
    // The latest run, its hits of the kind, the stock rows.
    expect([coldSmall.stock, coldLarge.stock]).toEqual([3, 3]);
  });

  it('answers from its cache until a new run replaces the answer', async () => {
    const before = (await t.data(SCAN, { kind: 'GAINERS', first: 50 })).marketScan;
    expect(before.edges.length).toBeGreaterThan(0);
    // Behind the app's back: the cached answer stands.
    await t.stock.sql.query(`DELETE FROM market_scan_result WHERE kind = 'GAINERS'`);
    expect((await t.data(SCAN, { kind: 'GAINERS', first: 50 })).marketScan).toEqual(before);
    const again = (await t.data(RUN, { tf: 'DAILY' }, admin)).runMarketScan;
    const after = (await t.data(SCAN, { kind: 'GAINERS', first: 50 })).marketScan;
    expect(after.run.scannedAt).toBe(again.scannedAt);
    expect(after.edges.map((e: any) => e.node.stock.symbol)).toEqual(before.edges.map((e: any) => e.node.stock.symbol));
  });

  it('carries a page on over the run its cursor names while a new run lands', async () => {
    const first = (await t.data(SCAN, { kind: 'MOST_ACTIVE', first: 3 })).marketScan;
    const newer = (await t.data(RUN, { tf: 'DAILY' }, admin)).runMarketScan;
    expect(newer.scannedAt).not.toBe(first.run.scannedAt);
    const next = (await t.data(SCAN, { kind: 'MOST_ACTIVE', first: 3, after: first.pageInfo.endCursor })).marketScan;
    expect(next.run.scannedAt).toBe(first.run.scannedAt);
    expect(next.edges.map((e: any) => e.node.rank)).toEqual([4, 5, 6]);
    expect(next.edges.every((e: any) => e.node.scannedAt === first.run.scannedAt)).toBe(true);
    expect((await t.data(SCAN, { kind: 'MOST_ACTIVE', first: 3 })).marketScan.run.scannedAt).toBe(newer.scannedAt);
  });

  it('keeps DAILY and WEEKLY apart and pages a WEEKLY run on its own', async () => {
    await t.data(RUN, { tf: 'WEEKLY' }, admin);
    const weekly = (await t.data(SCAN, { tf: 'WEEKLY', kind: 'MOST_ACTIVE', first: 100 })).marketScan;
    expect(weekly.edges.map((e: any) => e.node.stock.symbol)).toEqual(expectedHits('WEEKLY', 'MOST_ACTIVE').map((h) => h.scan.symbol));
    expect(weekly.edges.every((e: any) => e.node.timeframe === 'WEEKLY')).toBe(true);
  });

  it('fires a SCAN alert on the symbol a run lists under the alert’s kind (the alert module reads scanCompleted’s payload)', async () => {
    const top = expectedHits('DAILY', 'MOST_ACTIVE')[0]!.scan.symbol;
    const created = await t.graphql(`mutation($input: CreateAlertInput!) { createAlert(input: $input) { id } }`, { input: { symbol: top, condition: 'SCAN', scanKind: 'MOST_ACTIVE' } }, user.headers);
    expect(created.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    await t.data(RUN, { tf: 'DAILY' }, admin);
    const history = async () => (await t.data(`{ alertHistory { nodes { symbol condition } } }`, {}, user.headers)).alertHistory.nodes;
    await expect.poll(history, { timeout: 10_000 }).toEqual([{ symbol: top, condition: 'SCAN' }]);
  });

  it('refuses a bad page size, a foreign cursor and an unknown kind as BAD_USER_INPUT or a validation error', async () => {
    expect((await t.firstError(SCAN, { kind: 'GAINERS', first: 0 })).extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.firstError(SCAN, { kind: 'GAINERS', after: 'bm9wZQ' })).extensions?.code).toBe('BAD_USER_INPUT');
    const weeklyCursor = (await t.data(SCAN, { tf: 'WEEKLY', kind: 'MOST_ACTIVE', first: 1 })).marketScan.pageInfo.endCursor;
    expect(await t.firstError(SCAN, { tf: 'DAILY', kind: 'MOST_ACTIVE', after: weeklyCursor })).toMatchObject({ message: 'after: not a cursor of this connection', extensions: { code: 'BAD_USER_INPUT' } });
    const unknown = await t.graphql(SCAN, { kind: 'MOONSHOTS' });
    expect(unknown.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
