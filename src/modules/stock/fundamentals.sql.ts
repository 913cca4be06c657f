import type { SqlExecutor } from '../../db/sql-executor.js';
import type { ReportedFundamentals } from '../../providers/market-data-provider.js';

/**
 * Writes what a provider reported into the stored fundamentals, in one statement: a figure the
 * provider did not give keeps its stored value; unknown symbols are ignored. Returns the stocks updated.
 */
export async function updateFundamentals(sql: SqlExecutor, reported: readonly ReportedFundamentals[]): Promise<number> {
  if (reported.length === 0) return 0;
  const column = (pick: (r: ReportedFundamentals) => string | undefined) => reported.map((r) => pick(r) ?? null);
  const rows = await sql.query<{ updated: number }>(
    `WITH upd AS (
       UPDATE "stock" s SET
         "pe_ratio" = COALESCE(u.pe_ratio, s."pe_ratio"),
         "eps" = COALESCE(u.eps, s."eps"),
         "dividend_yield" = COALESCE(u.dividend_yield, s."dividend_yield"),
         "beta" = COALESCE(u.beta, s."beta"),
         "updated_at" = now()
       FROM unnest($1::varchar[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[])
         AS u(symbol, pe_ratio, eps, dividend_yield, beta)
       WHERE s."symbol" = u.symbol
       RETURNING 1
     ) SELECT count(*)::int AS updated FROM upd`,
    [
      reported.map((r) => r.symbol),
      column((r) => r.peRatio),
      column((r) => r.eps),
      column((r) => r.dividendYield),
      column((r) => r.beta),
    ],
  );
  return Number(rows[0]?.updated ?? 0);
}
