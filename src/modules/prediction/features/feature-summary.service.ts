import type { SqlExecutor } from '../../../db/sql-executor.js';
import { z } from 'zod';
import { firstSchema } from '../../../graphql/pagination.js';
import { decodeCursor, encodeCursor, toPage } from '../../../graphql/relay.js';
import type { FeatureSummaryConnection } from './feature-summary.type.js';

export const featureSummaryArgsSchema = z.object({
  first: firstSchema,
  after: z.string().max(200).nullish(),
});
export type FeatureSummaryArgs = z.output<typeof featureSummaryArgsSchema>;

const CURSOR_KIND = 'feature-summary';

interface SummaryRow {
  symbol: string;
  latest_ts: Date | string;
  record_count: number | string;
  latest_version: number;
  rsi_coverage: number | string;
  ma_coverage: number | string;
}

/** Reads mv_features_dashboard_summary (raw SQL: Prisma has no materialized views). */
export class FeatureSummaryService {
  constructor(private readonly sql: SqlExecutor) {}

  async page({ first, after }: FeatureSummaryArgs): Promise<FeatureSummaryConnection> {
    const afterSymbol = after ? decodeCursor(CURSOR_KIND, after) : null;
    const rows = await this.sql.query<SummaryRow>(
      `SELECT symbol, latest_ts, record_count, latest_version, rsi_coverage, ma_coverage FROM mv_features_dashboard_summary
       WHERE $1::varchar IS NULL OR symbol > $1::varchar
       ORDER BY symbol LIMIT $2::int`,
      [afterSymbol, first + 1],
    );
    const { edges, pageInfo } = toPage(rows, first, (row) => encodeCursor(CURSOR_KIND, row.symbol));
    return {
      pageInfo,
      edges: edges.map(({ node, cursor }) => ({
        cursor,
        node: {
          symbol: node.symbol,
          latestTimestamp: new Date(node.latest_ts),
          recordCount: Number(node.record_count),
          latestVersion: Number(node.latest_version),
          rsiCoverage: Number(node.rsi_coverage),
          maCoverage: Number(node.ma_coverage),
        },
      })),
    };
  }
}
