import { describe, expect, it } from 'vitest';
import {
  compileScreenerCount,
  compileScreenerPage,
  UnsafeColumnError,
  type ScreenerConditions,
  type ScreenerMarket,
  type ScreenerPageSpec,
} from './screener.sql.js';
import { ScreenerSortField, SortDirection } from './screener.type.js';
import { sessionWindow } from '../market/calendar/session-window.js';

/** The statement on one line, so expectations read like SQL. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

const SELECT =
  'SELECT s.symbol, s.name, s.sector, s.industry, s.exchange, s.currency, s.market_cap AS "marketCap", ' +
  's.pe_ratio AS "peRatio", s.dividend_yield AS "dividendYield", s.eps, s.beta, s.description, s.website, s.is_active AS "isActive", ' +
  's.asset_class::text AS "assetClass",';
const ALWAYS = "s.is_active AND s.asset_class <> 'FX' AND NOT EXISTS (SELECT 1 FROM blacklist b WHERE b.symbol = s.symbol)";
const LATEST_CANDLE =
  "LEFT JOIN LATERAL (SELECT p.close FROM stock_price p WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval ORDER BY p.ts DESC LIMIT 1) lp ON true";
const DAY_CANDLES = "FROM stock_price p WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval";
/** The last complete session's volume: inside the window ($n, $n+1] first, else the latest up to $n+2 (the same instant). */
const sessionCandle = (n: number) =>
  `LEFT JOIN LATERAL (SELECT COALESCE((SELECT p.volume ${DAY_CANDLES} AND p.ts > $${n} AND p.ts <= $${n + 1} ORDER BY p.ts DESC LIMIT 1), ` +
  `(SELECT p.volume ${DAY_CANDLES} AND p.ts <= $${n + 2} ORDER BY p.ts DESC LIMIT 1)) AS volume) sv ON true`;
/** The mean of the latest 20 sessions: the window when it holds all 20, else unbounded. Binds $n..$n+5. */
const averageVolume = (n: number) =>
  `LEFT JOIN LATERAL (SELECT COALESCE((SELECT avg(v.volume) FROM (SELECT p.volume ${DAY_CANDLES} AND p.ts > $${n} AND p.ts <= $${n + 1} ` +
  `ORDER BY p.ts DESC LIMIT $${n + 2}) v HAVING count(*) = $${n + 3}), (SELECT avg(v.volume) FROM (SELECT p.volume ${DAY_CANDLES} ` +
  `AND p.ts <= $${n + 4} ORDER BY p.ts DESC LIMIT $${n + 5}) v)) AS average_volume) av ON true`;
// Monday 2026-11-30 during the session: the last complete one is Friday 2026-11-27.
const MARKET: ScreenerMarket = sessionWindow(new Date('2026-11-30T15:00:00Z'));
const LAST_SESSION = new Date('2026-11-27T00:00:00Z');
const AFTER = new Date('2026-10-13T00:00:00Z'); // 45 days before

const NONE: ScreenerConditions = { numeric: [], categorical: [] };
const DEFAULT_PAGE: ScreenerPageSpec = {
  sort: { field: ScreenerSortField.MARKET_CAP, direction: SortDirection.DESC },
  first: 20,
  after: null,
};

describe('compileScreenerPage', () => {
  it('with no criteria lists active, non-blacklisted stocks by market cap, fetching one row more than asked', () => {
    const sql = compileScreenerPage(NONE, DEFAULT_PAGE, MARKET);
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (s.market_cap)::text AS sort_key FROM stock s WHERE ${ALWAYS} ` +
        'ORDER BY s.market_cap DESC NULLS LAST, s.symbol ASC LIMIT $1',
    );
    expect(sql.values).toEqual([21]);
  });

  it('binds bounds and categories as parameters and joins the latest candle only for price', () => {
    const conditions: ScreenerConditions = {
      numeric: [
        { column: 'market_cap', min: 1e9, max: null },
        { column: 'close', min: null, max: 100 },
        { column: 'pe_ratio', min: 0, max: 15 },
      ],
      categorical: [{ column: 'sector', values: ['Technology', 'Energy'] }],
    };
    const sql = compileScreenerPage(conditions, { ...DEFAULT_PAGE, first: 5 }, MARKET);
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (s.market_cap)::text AS sort_key FROM stock s ${LATEST_CANDLE} WHERE ${ALWAYS} ` +
        'AND s.market_cap >= $1::numeric AND lp.close <= $2::numeric AND s.pe_ratio >= $3::numeric AND s.pe_ratio <= $4::numeric ' +
        'AND s.sector = ANY($5::text[]) ORDER BY s.market_cap DESC NULLS LAST, s.symbol ASC LIMIT $6',
    );
    expect(sql.values).toEqual([1e9, 100, 0, 15, ['Technology', 'Energy'], 6]);
  });

  it("sorts by volume from the last complete session's candle, bound as a parameter, with no criterion on it", () => {
    const sql = compileScreenerPage(NONE, { ...DEFAULT_PAGE, sort: { field: ScreenerSortField.VOLUME, direction: SortDirection.ASC } }, MARKET);
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (sv.volume)::text AS sort_key FROM stock s ${sessionCandle(1)} WHERE ${ALWAYS} ` +
        'ORDER BY sv.volume ASC NULLS LAST, s.symbol ASC LIMIT $4',
    );
    expect(MARKET).toEqual({ after: AFTER, lastSession: LAST_SESSION });
    expect(sql.values).toEqual([AFTER, LAST_SESSION, LAST_SESSION, 21]);
  });

  it('filters volume on the last complete session, price on the latest candle, and average volume over 20 sessions', () => {
    const conditions: ScreenerConditions = {
      numeric: [
        { column: 'close', min: 10, max: null },
        { column: 'volume', min: 20_000_000, max: null },
        { column: 'average_volume', min: 1_000_000, max: null },
        { column: 'eps', min: 0, max: null },
        { column: 'beta', min: null, max: 1 },
      ],
      categorical: [],
    };
    const sql = compileScreenerPage(conditions, DEFAULT_PAGE, MARKET);
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (s.market_cap)::text AS sort_key FROM stock s ${LATEST_CANDLE} ${sessionCandle(1)} ${averageVolume(4)} ` +
        `WHERE ${ALWAYS} AND lp.close >= $10::numeric AND sv.volume >= $11::numeric AND av.average_volume >= $12::numeric ` +
        'AND s.eps >= $13::numeric AND s.beta <= $14::numeric ORDER BY s.market_cap DESC NULLS LAST, s.symbol ASC LIMIT $15',
    );
    expect(sql.values).toEqual([AFTER, LAST_SESSION, LAST_SESSION, AFTER, LAST_SESSION, 20, 20, LAST_SESSION, 20, 10, 20_000_000, 1_000_000, 0, 1, 21]);
  });

  it('continues after a position with a value: beyond it, ties by symbol, then every NULL', () => {
    const sql = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.PE_RATIO, direction: SortDirection.DESC },
      first: 2,
      after: { value: '12.5000', symbol: 'MSFT' },
    }, MARKET);
    expect(oneLine(sql.text)).toContain(
      `WHERE ${ALWAYS} AND (s.pe_ratio < $1::numeric OR (s.pe_ratio = $2::numeric AND s.symbol > $3) OR s.pe_ratio IS NULL) ` +
        'ORDER BY s.pe_ratio DESC NULLS LAST, s.symbol ASC LIMIT $4',
    );
    expect(sql.values).toEqual(['12.5000', '12.5000', 'MSFT', 3]);
  });

  it('uses > for ascending order', () => {
    const sql = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.DIVIDEND_YIELD, direction: SortDirection.ASC },
      first: 2,
      after: { value: '0.030000', symbol: 'XOM' },
    }, MARKET);
    expect(oneLine(sql.text)).toContain('(s.dividend_yield > $1::numeric OR (s.dividend_yield = $2::numeric AND s.symbol > $3) OR s.dividend_yield IS NULL)');
  });

  it('continues inside the NULLs by symbol alone once the previous page ended among them', () => {
    const sql = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.PE_RATIO, direction: SortDirection.ASC },
      first: 2,
      after: { value: null, symbol: 'BRKB' },
    }, MARKET);
    expect(oneLine(sql.text)).toContain(`WHERE ${ALWAYS} AND (s.pe_ratio IS NULL AND s.symbol > $1) ORDER BY`);
    expect(sql.values).toEqual(['BRKB', 3]);
  });

  it('pages by symbol alone when sorting by symbol, in either direction', () => {
    const desc = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.SYMBOL, direction: SortDirection.DESC },
      first: 10,
      after: { value: null, symbol: 'MSFT' },
    }, MARKET);
    expect(oneLine(desc.text)).toBe(
      `${SELECT} (s.symbol)::text AS sort_key FROM stock s WHERE ${ALWAYS} AND s.symbol < $1 ORDER BY s.symbol DESC LIMIT $2`,
    );
    expect(desc.values).toEqual(['MSFT', 11]);
  });

  it('never puts a value into the statement text, however hostile', () => {
    const hostile = "x'); DROP TABLE stock; --";
    const sql = compileScreenerPage(
      { numeric: [{ column: 'volume', min: 1, max: 2 }], categorical: [{ column: 'industry', values: [hostile, '"quoted"'] }] },
      { sort: { field: ScreenerSortField.PRICE, direction: SortDirection.ASC }, first: 7, after: { value: '1.5', symbol: hostile } },
      MARKET,
    );
    expect(sql.text).not.toContain('DROP');
    expect(sql.text).not.toContain('quoted');
    expect(sql.text).not.toContain('1.5');
    expect(sql.values).toEqual([AFTER, LAST_SESSION, LAST_SESSION, 1, 2, [hostile, '"quoted"'], '1.5', '1.5', hostile, 8]);
    // Every value is a placeholder: $1..$10 and nothing else.
    expect(sql.text.match(/\$\d+/g)).toEqual(Array.from({ length: 10 }, (_, i) => `$${i + 1}`));
  });

  it.each([
    ['a numeric column outside the whitelist', { numeric: [{ column: 'password_hash', min: 1, max: null }], categorical: [] }, 'numeric filter column "password_hash"'],
    ['a column name carrying SQL', { numeric: [{ column: 'market_cap; DROP TABLE stock', min: 1, max: null }], categorical: [] }, 'not in the screener whitelist'],
    ['an inherited property name', { numeric: [], categorical: [{ column: 'constructor', values: ['x'] }] }, 'categorical filter column "constructor"'],
    ['a numeric column used as a category', { numeric: [], categorical: [{ column: 'market_cap', values: ['1'] }] }, 'categorical filter column "market_cap"'],
  ])('rejects %s from the catalogue', (_, conditions, message) => {
    expect(() => compileScreenerPage(conditions, DEFAULT_PAGE, MARKET)).toThrow(UnsafeColumnError);
    expect(() => compileScreenerPage(conditions, DEFAULT_PAGE, MARKET)).toThrow(message);
    expect(() => compileScreenerCount(conditions, MARKET)).toThrow(UnsafeColumnError);
  });
});

describe('compileScreenerCount', () => {
  it('counts with the same conditions and no ordering or limit', () => {
    const sql = compileScreenerCount({ numeric: [{ column: 'dividend_yield', min: 0.03, max: null }], categorical: [{ column: 'exchange', values: ['NYSE'] }] }, MARKET);
    expect(oneLine(sql.text)).toBe(
      `SELECT count(*)::int AS count FROM stock s WHERE ${ALWAYS} AND s.dividend_yield >= $1::numeric AND s.exchange = ANY($2::text[])`,
    );
    expect(sql.values).toEqual([0.03, ['NYSE']]);
  });

  it('joins the latest candle only when a criterion needs it', () => {
    expect(oneLine(compileScreenerCount(NONE, MARKET).text)).not.toContain('LATERAL');
    expect(oneLine(compileScreenerCount({ numeric: [{ column: 'close', min: 10, max: null }], categorical: [] }, MARKET).text)).toContain(LATEST_CANDLE);
    const volume = compileScreenerCount({ numeric: [{ column: 'volume', min: 10, max: null }], categorical: [] }, MARKET);
    expect(oneLine(volume.text)).toBe(`SELECT count(*)::int AS count FROM stock s ${sessionCandle(1)} WHERE ${ALWAYS} AND sv.volume >= $4::numeric`);
    expect(volume.values).toEqual([AFTER, LAST_SESSION, LAST_SESSION, 10]);
  });
});
