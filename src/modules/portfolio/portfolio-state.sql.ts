import type { Decimal } from 'decimal.js';
import { Prisma } from '../../generated/user/client.js';
import { dec } from './money.js';

/** What a portfolio holds at one instant: the latest cash row per currency and the latest row per symbol. */
export interface PortfolioState {
  portfolioId: string;
  /** Cash balance per currency (currencies never used are absent). */
  cash: Map<string, Decimal>;
  /** The latest row of every symbol ever traded, closed positions (quantity 0) included: they carry realised P&L. */
  positions: PositionState[];
}

export interface PositionState {
  symbol: string;
  currency: string;
  quantity: Decimal;
  averageCost: Decimal;
  costBasis: Decimal;
  realizedPnl: Decimal;
  commissionPaid: Decimal;
}

interface StateRow {
  kind: 'cash' | 'position';
  portfolio_id: string;
  currency: string;
  symbol: string | null;
  amount: { toString(): string };
  quantity: { toString(): string } | null;
  average_cost: { toString(): string } | null;
  realized_pnl: { toString(): string } | null;
  commission_paid: { toString(): string } | null;
}

type Queryable = { $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Prisma.PrismaPromise<T> };

/**
 * Cash and positions of any number of portfolios in ONE statement: a single
 * statement reads one snapshot, so cash and positions never disagree, however
 * many fills commit meanwhile (two statements could see a trade's position
 * row but not its cash row). Rows are append-only; within a portfolio every
 * write happens under its row lock, so the highest id is the latest entry.
 */
export async function readPortfolioStates(db: Queryable, portfolioIds: readonly string[]): Promise<Map<string, PortfolioState>> {
  const ids = [...portfolioIds];
  // "Latest row per key" as a loose index scan: walk the distinct currencies and symbols of each
  // portfolio through the (portfolio, key, id DESC) indexes (one probe per key), then take each key's
  // newest row with one more probe. DISTINCT ON read every row of the books instead: 60-70 ms at
  // 100,000 trades against ~2 ms (docs/BENCHMARKS.md, npm run bench:portfolio-state).
  const rows = await db.$queryRaw<StateRow[]>(Prisma.sql`
    WITH RECURSIVE ids AS (
      SELECT DISTINCT unnest(${ids}::uuid[]) AS portfolio_id
    ), cash_keys AS (
      SELECT i.portfolio_id, (SELECT min(c.currency) FROM cash_equity_book c WHERE c.portfolio_id = i.portfolio_id) AS currency
      FROM ids i
      UNION ALL
      SELECT k.portfolio_id, (SELECT min(c.currency) FROM cash_equity_book c WHERE c.portfolio_id = k.portfolio_id AND c.currency > k.currency)
      FROM cash_keys k WHERE k.currency IS NOT NULL
    ), position_keys AS (
      SELECT i.portfolio_id, (SELECT min(p.stock_symbol) FROM positions_book p WHERE p.portfolio_id = i.portfolio_id) AS symbol
      FROM ids i
      UNION ALL
      SELECT k.portfolio_id, (SELECT min(p.stock_symbol) FROM positions_book p WHERE p.portfolio_id = k.portfolio_id AND p.stock_symbol > k.symbol)
      FROM position_keys k WHERE k.symbol IS NOT NULL
    ), latest_cash AS (
      SELECT k.portfolio_id, k.currency, l.balance
      FROM cash_keys k
      CROSS JOIN LATERAL (
        SELECT c.balance FROM cash_equity_book c WHERE c.portfolio_id = k.portfolio_id AND c.currency = k.currency ORDER BY c.id DESC LIMIT 1
      ) l
      WHERE k.currency IS NOT NULL
    ), latest_positions AS (
      SELECT k.portfolio_id, l.stock_symbol, l.currency, l.quantity, l.average_cost, l.cost_basis, l.realized_pnl, l.commission_paid
      FROM position_keys k
      CROSS JOIN LATERAL (
        SELECT p.stock_symbol, p.currency, p.quantity, p.average_cost, p.cost_basis, p.realized_pnl, p.commission_paid
        FROM positions_book p WHERE p.portfolio_id = k.portfolio_id AND p.stock_symbol = k.symbol ORDER BY p.id DESC LIMIT 1
      ) l
      WHERE k.symbol IS NOT NULL
    )
    SELECT 'cash' AS kind, portfolio_id::text, currency, NULL::varchar AS symbol, balance AS amount,
           NULL::numeric AS quantity, NULL::numeric AS average_cost, NULL::numeric AS realized_pnl, NULL::numeric AS commission_paid
    FROM latest_cash
    UNION ALL
    SELECT 'position', portfolio_id::text, currency, stock_symbol, cost_basis, quantity, average_cost, realized_pnl, commission_paid
    FROM latest_positions
    ORDER BY 2, 1, 4`);
  const states = new Map<string, PortfolioState>(ids.map((id) => [id, { portfolioId: id, cash: new Map(), positions: [] }]));
  for (const row of rows) {
    const state = states.get(row.portfolio_id);
    if (!state) continue;
    const currency = row.currency.trim();
    if (row.kind === 'cash') {
      state.cash.set(currency, dec(row.amount));
    } else {
      state.positions.push({
        symbol: row.symbol!,
        currency,
        quantity: dec(row.quantity!),
        averageCost: dec(row.average_cost!),
        costBasis: dec(row.amount),
        realizedPnl: dec(row.realized_pnl!),
        commissionPaid: dec(row.commission_paid!),
      });
    }
  }
  return states;
}
