import { Decimal } from 'decimal.js';
import type { StockClient, UserClient } from '../../db/database.js';
import { Prisma } from '../../generated/user/client.js';
import { lastCompleteSession, previousTradingDay } from '../market/calendar/new-york-calendar.js';
import { requireRate, StockDbFxRates } from './fx-rates.js';
import { dec, ZERO } from './money.js';
import { currenciesOfHistory, rebuildDayValues, symbolsOf } from './value-history.js';
import { readBookHistories, readDayCloses } from './value-history.sql.js';

export interface SnapshotReport {
  date: string;
  written: number;
  failed: number;
}

const PAGE = 200;

interface CostRow {
  portfolio_id: string;
  currency: string;
  cost_basis: { toString(): string };
}

/**
 * The end-of-day snapshot: one pnl_book row per portfolio with books for the
 * last complete New York session at `now` (today once the 16:00 close, or an
 * early close, has passed). Values are rebuilt for that date from the books
 * and the session's DAY closes, so a run the next morning writes the same
 * figures as one at 16:05. Idempotent: portfolios that already have the day's
 * row are not even read, and the insert is ON CONFLICT DO NOTHING on
 * (portfolio, date), so concurrent runs still write one row each.
 */
export async function writeEodSnapshots(userDb: UserClient, stockDb: StockClient, now: Date = new Date()): Promise<SnapshotReport> {
  const date = lastCompleteSession(now);
  const previous = previousTradingDay(date);
  const fx = new StockDbFxRates(stockDb);
  const report: SnapshotReport = { date, written: 0, failed: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await userDb.$queryRaw<{ id: string; base_currency: string }[]>`
      SELECT p.id::text, p.base_currency FROM portfolio p
      WHERE p.id > ${after}::uuid
        AND NOT EXISTS (SELECT 1 FROM pnl_book s WHERE s.portfolio_id = p.id AND s.date = ${date}::date)
        AND EXISTS (SELECT 1 FROM cash_equity_book c WHERE c.portfolio_id = p.id AND c.trade_date <= ${date}::date)
      ORDER BY p.id LIMIT ${PAGE}`;
    if (page.length === 0) return report;
    after = page[page.length - 1]!.id;
    const ids = page.map((p) => p.id);
    const histories = await readBookHistories(userDb, ids, previous);
    const symbols = [...new Set([...histories.values()].flatMap(symbolsOf))];
    const closes = await readDayCloses(stockDb, symbols, previous);
    const costs = await userDb.$queryRaw<CostRow[]>`
      SELECT DISTINCT ON (p.portfolio_id, p.stock_symbol) p.portfolio_id::text, p.currency, p.cost_basis
      FROM positions_book p LEFT JOIN trade_execution_log t ON t.id = p.trade_id
      WHERE p.portfolio_id = ANY(${ids}::uuid[])
        AND COALESCE(t.trade_date, (p.updated_at AT TIME ZONE 'America/New_York')::date) <= ${date}::date
      ORDER BY p.portfolio_id, p.stock_symbol, p.id DESC`;
    const rows: Prisma.Sql[] = [];
    for (const portfolio of page) {
      try {
        const history = histories.get(portfolio.id)!;
        const base = portfolio.base_currency.trim();
        const rates = new Map<string, Decimal>();
        for (const currency of new Set([...currenciesOfHistory(history), ...costs.map((c) => c.currency.trim())])) {
          rates.set(currency, await requireRate(fx, currency, base));
        }
        const known = new Map([...history.snapshots].filter(([d]) => d !== date).map(([d, s]) => [d, s.value] as const));
        const [before, day] = rebuildDayValues(history, [previous, date], { closes, rates, known });
        const invested = costs
          .filter((c) => c.portfolio_id === portfolio.id)
          .reduce((sum, c) => sum.plus(dec(c.cost_basis).mul(rates.get(c.currency.trim()) ?? 1)), ZERO);
        const dayPnl = day!.value.minus(before!.value).minus(day!.flow);
        rows.push(Prisma.sql`(${portfolio.id}::uuid, ${date}::date, ${day!.value.toFixed(6)}::numeric, ${day!.cash.toFixed(6)}::numeric, ${invested.toFixed(6)}::numeric, ${dayPnl.toFixed(6)}::numeric)`);
      } catch {
        // No FX rate for one of its currencies: that portfolio waits for the next run; the others are written.
        report.failed++;
      }
    }
    if (rows.length > 0) {
      const inserted = await userDb.$queryRaw<{ id: bigint }[]>`
        INSERT INTO pnl_book (portfolio_id, date, portfolio_value, cash, invested, day_pnl)
        VALUES ${Prisma.join(rows)}
        ON CONFLICT (portfolio_id, date) DO NOTHING RETURNING id`;
      report.written += inserted.length;
    }
  }
}
