import { describe, expect, it } from 'vitest';
import {
  compileScreenerCount,
  compileScreenerPage,
  UnsafeColumnError,
  type ScreenerConditions,
  type ScreenerPageSpec,
} from './screener.sql.js';
import { ScreenerSortField, SortDirection } from './screener.type.js';

/** The statement on one line, so expectations read like SQL. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

const SELECT =
  'SELECT s.symbol, s.name, s.sector, s.industry, s.exchange, s.currency, s.market_cap AS "marketCap", s.is_active AS "isActive",';
const ALWAYS = 's.is_active AND NOT EXISTS (SELECT 1 FROM blacklist b WHERE b.symbol = s.symbol)';
const LATEST_CANDLE =
  "LEFT JOIN LATERAL (SELECT p.close, p.volume FROM stock_price p WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval ORDER BY p.ts DESC LIMIT 1) lp ON true";

const NONE: ScreenerConditions = { numeric: [], categorical: [] };
const DEFAULT_PAGE: ScreenerPageSpec = {
  sort: { field: ScreenerSortField.MARKET_CAP, direction: SortDirection.DESC },
  first: 20,
  after: null,
};

describe('compileScreenerPage', () => {
  it('with no criteria lists active, non-blacklisted stocks by market cap, fetching one row more than asked', () => {
    const sql = compileScreenerPage(NONE, DEFAULT_PAGE);
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (s.market_cap)::text AS sort_key FROM stock s WHERE ${ALWAYS} ` +
        'ORDER BY s.market_cap DESC NULLS LAST, s.symbol ASC LIMIT $1',
    );
    expect(sql.values).toEqual([21]);
  });

  it('binds bounds and categories as parameters and joins the latest candle only for price or volume', () => {
    const conditions: ScreenerConditions = {
      numeric: [
        { column: 'market_cap', min: 1e9, max: null },
        { column: 'close', min: null, max: 100 },
        { column: 'pe_ratio', min: 0, max: 15 },
      ],
      categorical: [{ column: 'sector', values: ['Technology', 'Energy'] }],
    };
    const sql = compileScreenerPage(conditions, { ...DEFAULT_PAGE, first: 5 });
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (s.market_cap)::text AS sort_key FROM stock s ${LATEST_CANDLE} WHERE ${ALWAYS} ` +
        'AND s.market_cap >= $1::numeric AND lp.close <= $2::numeric AND s.pe_ratio >= $3::numeric AND s.pe_ratio <= $4::numeric ' +
        'AND s.sector = ANY($5::text[]) ORDER BY s.market_cap DESC NULLS LAST, s.symbol ASC LIMIT $6',
    );
    expect(sql.values).toEqual([1e9, 100, 0, 15, ['Technology', 'Energy'], 6]);
  });

  it('joins the latest candle when sorting by volume, with no criterion on it', () => {
    const sql = compileScreenerPage(NONE, { ...DEFAULT_PAGE, sort: { field: ScreenerSortField.VOLUME, direction: SortDirection.ASC } });
    expect(oneLine(sql.text)).toBe(
      `${SELECT} (lp.volume)::text AS sort_key FROM stock s ${LATEST_CANDLE} WHERE ${ALWAYS} ` +
        'ORDER BY lp.volume ASC NULLS LAST, s.symbol ASC LIMIT $1',
    );
  });

  it('continues after a position with a value: beyond it, ties by symbol, then every NULL', () => {
    const sql = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.PE_RATIO, direction: SortDirection.DESC },
      first: 2,
      after: { value: '12.5000', symbol: 'MSFT' },
    });
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
    });
    expect(oneLine(sql.text)).toContain('(s.dividend_yield > $1::numeric OR (s.dividend_yield = $2::numeric AND s.symbol > $3) OR s.dividend_yield IS NULL)');
  });

  it('continues inside the NULLs by symbol alone once the previous page ended among them', () => {
    const sql = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.PE_RATIO, direction: SortDirection.ASC },
      first: 2,
      after: { value: null, symbol: 'BRKB' },
    });
    expect(oneLine(sql.text)).toContain(`WHERE ${ALWAYS} AND (s.pe_ratio IS NULL AND s.symbol > $1) ORDER BY`);
    expect(sql.values).toEqual(['BRKB', 3]);
  });

  it('pages by symbol alone when sorting by symbol, in either direction', () => {
    const desc = compileScreenerPage(NONE, {
      sort: { field: ScreenerSortField.SYMBOL, direction: SortDirection.DESC },
      first: 10,
      after: { value: null, symbol: 'MSFT' },
    });
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
    );
    expect(sql.text).not.toContain('DROP');
    expect(sql.text).not.toContain('quoted');
    expect(sql.text).not.toContain('1.5');
    expect(sql.values).toEqual([1, 2, [hostile, '"quoted"'], '1.5', '1.5', hostile, 8]);
    // Every value is a placeholder: $1..$7 and nothing else.
    expect(sql.text.match(/\$\d+/g)).toEqual(['$1', '$2', '$3', '$4', '$5', '$6', '$7']);
  });

  it.each([
    ['a numeric column outside the whitelist', { numeric: [{ column: 'password_hash', min: 1, max: null }], categorical: [] }, 'numeric filter column "password_hash"'],
    ['a column name carrying SQL', { numeric: [{ column: 'market_cap; DROP TABLE stock', min: 1, max: null }], categorical: [] }, 'not in the screener whitelist'],
    ['an inherited property name', { numeric: [], categorical: [{ column: 'constructor', values: ['x'] }] }, 'categorical filter column "constructor"'],
    ['a numeric column used as a category', { numeric: [], categorical: [{ column: 'market_cap', values: ['1'] }] }, 'categorical filter column "market_cap"'],
  ])('rejects %s from the catalogue', (_, conditions, message) => {
    expect(() => compileScreenerPage(conditions, DEFAULT_PAGE)).toThrow(UnsafeColumnError);
    expect(() => compileScreenerPage(conditions, DEFAULT_PAGE)).toThrow(message);
    expect(() => compileScreenerCount(conditions)).toThrow(UnsafeColumnError);
  });
});

describe('compileScreenerCount', () => {
  it('counts with the same conditions and no ordering or limit', () => {
    const sql = compileScreenerCount({ numeric: [{ column: 'dividend_yield', min: 0.03, max: null }], categorical: [{ column: 'exchange', values: ['NYSE'] }] });
    expect(oneLine(sql.text)).toBe(
      `SELECT count(*)::int AS count FROM stock s WHERE ${ALWAYS} AND s.dividend_yield >= $1::numeric AND s.exchange = ANY($2::text[])`,
    );
    expect(sql.values).toEqual([0.03, ['NYSE']]);
  });

  it('joins the latest candle only when a criterion needs it', () => {
    expect(oneLine(compileScreenerCount(NONE).text)).not.toContain('LATERAL');
    expect(oneLine(compileScreenerCount({ numeric: [{ column: 'close', min: 10, max: null }], categorical: [] }).text)).toContain(LATEST_CANDLE);
  });
});
