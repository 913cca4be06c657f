// Compiles screener criteria into one parameterized SQL statement on the stock
// database. Pure: no I/O, so it is unit-tested on its output (screener.sql.test.ts).
//
// Identifiers come only from the hard-coded maps below, looked up by the
// catalogue's column_name (numeric_filter / categorical_filter rows). Every
// value a client can influence (bounds, categories, cursor, page size) is a
// bind parameter.

import { Prisma } from '../../generated/stock/client.js';
import type { StockRow } from '../stock/stock.mapper.js';
import type { SessionWindow } from '../market/calendar/session-window.js';
import { averageSessionVolume, sessionVolume } from '../stock/session-volume.sql.js';
import { ScreenerSortField, SortDirection } from './screener.type.js';

/**
 * Catalogue column_name -> SQL expression. `lp` is the latest daily candle (LATEST_CANDLE), `sv` the
 * last complete session's (SESSION_CANDLE), `av` the mean over the last 20 complete sessions
 * (AVERAGE_VOLUME): volumes never come from today's partial candle.
 */
const NUMERIC_COLUMNS: Readonly<Record<string, string>> = {
  market_cap: 's.market_cap',
  pe_ratio: 's.pe_ratio',
  dividend_yield: 's.dividend_yield',
  eps: 's.eps',
  beta: 's.beta',
  close: 'lp.close',
  volume: 'sv.volume',
  average_volume: 'av.average_volume',
};

const CATEGORICAL_COLUMNS: Readonly<Record<string, string>> = {
  sector: 's.sector',
  industry: 's.industry',
  exchange: 's.exchange',
  country: 's.country',
};

const SORT_COLUMNS: Readonly<Record<ScreenerSortField, string>> = {
  [ScreenerSortField.MARKET_CAP]: 's.market_cap',
  [ScreenerSortField.SYMBOL]: 's.symbol',
  [ScreenerSortField.PRICE]: 'lp.close',
  [ScreenerSortField.VOLUME]: 'sv.volume',
  [ScreenerSortField.PE_RATIO]: 's.pe_ratio',
  [ScreenerSortField.DIVIDEND_YIELD]: 's.dividend_yield',
};

/** LATERAL + LIMIT 1 walks the (symbol, interval, ts) key backwards: one index probe per stock. */
const LATEST_CANDLE = Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT p.close FROM stock_price p
    WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval
    ORDER BY p.ts DESC
    LIMIT 1
  ) lp ON true`;

/** Volumes of the last complete session(s), never today's partial candle (see session-volume.sql.ts). */
function sessionCandle(window: SessionWindow): Prisma.Sql {
  return Prisma.sql`
  LEFT JOIN LATERAL (SELECT ${sessionVolume(window)} AS volume) sv ON true`;
}

function averageVolume(window: SessionWindow): Prisma.Sql {
  return Prisma.sql`
  LEFT JOIN LATERAL (SELECT ${averageSessionVolume(window)} AS average_volume) av ON true`;
}

/** Where the market stands when the statement is compiled; computed from the New York calendar by the caller (sessionWindow). */
export type ScreenerMarket = SessionWindow;

/** A catalogue row names a column the compiler does not allow: a server-side data problem, never user input. */
export class UnsafeColumnError extends Error {
  override name = 'UnsafeColumnError';
  constructor(kind: 'numeric' | 'categorical', column: string) {
    super(`${kind} filter column ${JSON.stringify(column)} is not in the screener whitelist`);
  }
}

export interface NumericCondition {
  /** numeric_filter.column_name */
  column: string;
  min: number | null;
  max: number | null;
}

export interface CategoricalCondition {
  /** categorical_filter.column_name */
  column: string;
  values: readonly string[];
}

export interface ScreenerConditions {
  numeric: readonly NumericCondition[];
  categorical: readonly CategoricalCondition[];
}

export interface ScreenerSortSpec {
  field: ScreenerSortField;
  direction: SortDirection;
}

/** Where the previous page ended: its last row's sort value (exact text, null when missing) and symbol. */
export interface ScreenerPosition {
  value: string | null;
  symbol: string;
}

export interface ScreenerPageSpec {
  sort: ScreenerSortSpec;
  /** Rows wanted; the query fetches one more to learn whether another page exists. */
  first: number;
  after: ScreenerPosition | null;
}

/** One result row: the columns toStock needs, plus the sort value as exact text for the next cursor. */
export interface ScreenerResultRow extends StockRow {
  sort_key: string | null;
}

function lookUp(columns: Readonly<Record<string, string>>, kind: 'numeric' | 'categorical', column: string): string {
  if (!Object.hasOwn(columns, column)) throw new UnsafeColumnError(kind, column);
  return columns[column]!;
}

/** Only the candle joins the expressions use, in a fixed order (the binds follow it). */
function candleJoins(expressions: readonly string[], market: ScreenerMarket): Prisma.Sql {
  const uses = (alias: string) => expressions.some((expression) => expression.startsWith(`${alias}.`));
  const joins: Prisma.Sql[] = [];
  if (uses('lp')) joins.push(LATEST_CANDLE);
  if (uses('sv')) joins.push(sessionCandle(market));
  if (uses('av')) joins.push(averageVolume(market));
  return joins.length === 0 ? Prisma.empty : Prisma.join(joins, '');
}

function compileWhere(conditions: ScreenerConditions): { clauses: Prisma.Sql[]; expressions: string[] } {
  // Inactive and blacklisted stocks never appear in any screener.
  // FX pairs are rows of `stock` too (asset_class FX) but never screener results.
  const clauses = [Prisma.sql`s.is_active`, Prisma.sql`s.asset_class <> 'FX'`, Prisma.sql`NOT EXISTS (SELECT 1 FROM blacklist b WHERE b.symbol = s.symbol)`];
  const expressions: string[] = [];
  for (const condition of conditions.numeric) {
    const column = Prisma.raw(lookUp(NUMERIC_COLUMNS, 'numeric', condition.column));
    expressions.push(column.sql);
    if (condition.min != null) clauses.push(Prisma.sql`${column} >= ${condition.min}::numeric`);
    if (condition.max != null) clauses.push(Prisma.sql`${column} <= ${condition.max}::numeric`);
  }
  for (const condition of conditions.categorical) {
    const column = Prisma.raw(lookUp(CATEGORICAL_COLUMNS, 'categorical', condition.column));
    clauses.push(Prisma.sql`${column} = ANY(${[...condition.values]}::text[])`);
  }
  return { clauses, expressions };
}

/**
 * Keyset condition for "after this position" in ORDER BY e dir NULLS LAST, symbol ASC.
 * Rows with a value come first in either direction, then the NULLs by symbol.
 */
function keyset(sortExpression: Prisma.Sql, direction: SortDirection, after: ScreenerPosition): Prisma.Sql {
  if (after.value === null) return Prisma.sql`(${sortExpression} IS NULL AND s.symbol > ${after.symbol})`;
  const beyond = direction === SortDirection.ASC ? Prisma.raw('>') : Prisma.raw('<');
  const value = Prisma.sql`${after.value}::numeric`;
  return Prisma.sql`(${sortExpression} ${beyond} ${value} OR (${sortExpression} = ${value} AND s.symbol > ${after.symbol}) OR ${sortExpression} IS NULL)`;
}

/** One page of matching stocks in sort order: SELECT ... LIMIT first + 1. */
export function compileScreenerPage(conditions: ScreenerConditions, page: ScreenerPageSpec, market: ScreenerMarket): Prisma.Sql {
  const { clauses, expressions } = compileWhere(conditions);
  const sortColumn = SORT_COLUMNS[page.sort.field];
  if (!sortColumn) throw new Error(`unknown sort field ${String(page.sort.field)}`);
  const sortExpression = Prisma.raw(sortColumn);
  const direction = page.sort.direction === SortDirection.ASC ? Prisma.raw('ASC') : Prisma.raw('DESC');
  const bySymbol = page.sort.field === ScreenerSortField.SYMBOL;

  if (page.after) {
    if (bySymbol) {
      const beyond = page.sort.direction === SortDirection.ASC ? Prisma.raw('>') : Prisma.raw('<');
      clauses.push(Prisma.sql`s.symbol ${beyond} ${page.after.symbol}`);
    } else {
      clauses.push(keyset(sortExpression, page.sort.direction, page.after));
    }
  }
  const orderBy = bySymbol
    ? Prisma.sql`s.symbol ${direction}`
    : Prisma.sql`${sortExpression} ${direction} NULLS LAST, s.symbol ASC`;
  const join = candleJoins([...expressions, sortColumn], market);

  return Prisma.sql`
    SELECT s.symbol, s.name, s.sector, s.industry, s.exchange, s.currency, s.market_cap AS "marketCap",
      s.pe_ratio AS "peRatio", s.dividend_yield AS "dividendYield", s.eps, s.beta, s.description, s.website,
      s.is_active AS "isActive", s.asset_class::text AS "assetClass", (${sortExpression})::text AS sort_key
    FROM stock s${join}
    WHERE ${Prisma.join(clauses, ' AND ')}
    ORDER BY ${orderBy}
    LIMIT ${page.first + 1}`;
}

/** How many stocks match, over all pages. */
export function compileScreenerCount(conditions: ScreenerConditions, market: ScreenerMarket): Prisma.Sql {
  const { clauses, expressions } = compileWhere(conditions);
  const join = candleJoins(expressions, market);
  return Prisma.sql`
    SELECT count(*)::int AS count
    FROM stock s${join}
    WHERE ${Prisma.join(clauses, ' AND ')}`;
}

/** Which of `symbols` match every criterion (alerts on entering / leaving a saved screener): one statement. */
export function compileScreenerMembers(conditions: ScreenerConditions, market: ScreenerMarket, symbols: readonly string[]): Prisma.Sql {
  const { clauses, expressions } = compileWhere(conditions);
  clauses.push(Prisma.sql`s.symbol = ANY(${[...symbols]}::varchar[])`);
  const join = candleJoins(expressions, market);
  return Prisma.sql`
    SELECT s.symbol
    FROM stock s${join}
    WHERE ${Prisma.join(clauses, ' AND ')}`;
}
