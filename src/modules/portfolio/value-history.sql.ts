import type { Decimal } from 'decimal.js';
import { Prisma } from '../../generated/user/client.js';
import { dec } from './money.js';

/** What the books say changed on one trade date, per currency and per symbol (sums of the day's rows). */
export interface BookDay {
  date: string;
  /** Net change of cash per currency (every reason). */
  cash: Map<string, Decimal>;
  /** External flows per currency: deposits, withdrawals and transfers (trades, fees, dividends and FX are not flows). */
  flows: Map<string, Decimal>;
  /** Net traded quantity per symbol, with the listing currency and the day's volume-weighted execution price (a hash aggregate: an ordered "last price" sorted 100,000 rows on disk). */
  trades: Map<string, { currency: string; quantity: Decimal; dayPrice: Decimal }>;
}

export interface PnlSnapshot {
  date: string;
  value: Decimal;
  cash: Decimal;
  invested: Decimal;
  dayPnl: Decimal;
}

/** A portfolio's whole history, day by day in trade-date order, and the EOD snapshots written so far. */
export interface BookHistory {
  days: BookDay[];
  snapshots: Map<string, PnlSnapshot>;
}

interface HistoryRow {
  kind: 'cash' | 'trade' | 'pnl';
  portfolio_id: string;
  date: string;
  key: string;
  currency: string | null;
  a: { toString(): string };
  b: { toString(): string } | null;
  c: { toString(): string } | null;
  d: { toString(): string } | null;
}

type Queryable = { $queryRaw<T = unknown>(query: Prisma.Sql): Prisma.PrismaPromise<T> };

export const FLOW_REASONS = ['DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT'] as const;

/**
 * The day-level history of any number of portfolios in ONE statement (one
 * snapshot, so cash and trades agree). Grouped by trade date, not by id:
 * a trade recorded today for last month belongs to last month, so the
 * balances are rebuilt as running sums of deltas, never read from `balance`.
 */
export async function readBookHistories(db: Queryable, portfolioIds: readonly string[], from = '1900-01-01'): Promise<Map<string, BookHistory>> {
  const ids = [...portfolioIds];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) throw new Error(`not a date: ${from}`);
  // Everything before `from` folds into one opening day (the day before it): a short range over a long
  // history reads one row per symbol and currency for the past, not one per past trade date.
  const opening = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const day = (column: string) => Prisma.raw(`CASE WHEN ${column} < '${from}'::date THEN '${opening}'::date ELSE ${column} END`);
  const rows = await db.$queryRaw<HistoryRow[]>(Prisma.sql`
    SELECT 'cash' AS kind, portfolio_id::text, (${day('trade_date')})::text AS date, currency AS key, currency,
           SUM(delta) AS a,
           COALESCE(SUM(delta) FILTER (WHERE reason::text IN ('DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT')), 0) AS b,
           NULL::numeric AS c, NULL::numeric AS d
    FROM cash_equity_book WHERE portfolio_id = ANY(${ids}::uuid[])
    GROUP BY portfolio_id, ${day('trade_date')}, currency
    UNION ALL
    SELECT 'trade', portfolio_id::text, (${day('trade_date')})::text, stock_symbol, MIN(currency),
           SUM(CASE WHEN side::text = 'BUY' THEN quantity ELSE -quantity END),
           SUM(quantity * exec_price) / SUM(quantity), NULL, NULL
    FROM trade_execution_log WHERE portfolio_id = ANY(${ids}::uuid[])
    GROUP BY portfolio_id, ${day('trade_date')}, stock_symbol
    UNION ALL
    SELECT 'pnl', portfolio_id::text, date::text, '', NULL, portfolio_value, cash, invested, day_pnl
    FROM pnl_book WHERE portfolio_id = ANY(${ids}::uuid[]) AND date >= ${from}::date
    ORDER BY 3`);
  const histories = new Map<string, BookHistory>(ids.map((id) => [id, { days: [], snapshots: new Map() }]));
  const dayIndex = new Map<string, Map<string, BookDay>>(ids.map((id) => [id, new Map()]));
  for (const row of rows) {
    const history = histories.get(row.portfolio_id);
    if (!history) continue;
    if (row.kind === 'pnl') {
      history.snapshots.set(row.date, { date: row.date, value: dec(row.a), cash: dec(row.b!), invested: dec(row.c!), dayPnl: dec(row.d!) });
      continue;
    }
    const index = dayIndex.get(row.portfolio_id)!;
    let day = index.get(row.date);
    if (!day) {
      day = { date: row.date, cash: new Map(), flows: new Map(), trades: new Map() };
      index.set(row.date, day);
      history.days.push(day);
    }
    const currency = row.currency!.trim();
    if (row.kind === 'cash') {
      day.cash.set(currency, dec(row.a));
      if (!dec(row.b!).isZero()) day.flows.set(currency, dec(row.b!));
    } else {
      day.trades.set(row.key, { currency, quantity: dec(row.a), dayPrice: dec(row.b!) });
    }
  }
  return histories;
}

interface CloseRow {
  symbol: string;
  date: string;
  close: { toString(): string };
}

type StockQueryable = { $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Prisma.PrismaPromise<T> };

/**
 * DAY closes of many symbols since `from` (trade dates as YYYY-MM-DD), plus
 * the last close before it so a value can be carried forward into the range.
 */
export async function readDayCloses(db: StockQueryable, symbols: readonly string[], from: string): Promise<Map<string, Map<string, Decimal>>> {
  const fromTs = new Date(`${from}T00:00:00.000Z`);
  const list = [...symbols];
  const rows = await db.$queryRaw<CloseRow[]>`
    SELECT symbol, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, close FROM stock_price
    WHERE symbol = ANY(${list}::varchar[]) AND interval = 'DAY'::candle_interval AND ts >= ${fromTs}
    UNION ALL
    SELECT s.symbol, to_char(b.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD'), b.close
    FROM unnest(${list}::varchar[]) AS s(symbol)
    CROSS JOIN LATERAL (
      SELECT ts, close FROM stock_price p
      WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval AND p.ts < ${fromTs}
      ORDER BY ts DESC LIMIT 1
    ) b
    ORDER BY 1, 2`;
  const closes = new Map<string, Map<string, Decimal>>(list.map((symbol) => [symbol, new Map()]));
  for (const row of rows) closes.get(row.symbol)?.set(row.date, dec(row.close));
  return closes;
}
