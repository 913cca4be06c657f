import type { SqlExecutor } from '../../db/sql-executor.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../graphql/relay.js';
import { ActivitySeverity, ActivitySource, type Activity, type ActivityConnection } from './activity.type.js';
import type { MyActivityArgs, SystemActivityArgs } from './activity.validation.js';

const SEVERITY_ORDER = [ActivitySeverity.DEBUG, ActivitySeverity.INFO, ActivitySeverity.WARN, ActivitySeverity.ERROR, ActivitySeverity.FATAL];
const CURSOR_KIND = 'activity';

interface ActivityRow {
  source: ActivitySource;
  id: string;
  timestamp: Date | string;
  severity: ActivitySeverity;
  component: string;
  description: string;
  correlation_id: string | null;
  metadata: Record<string, unknown> | string | null;
}

type Page = { after?: string | null; first: number };

/** Cursor: the row's place in the order (timestamp, source, id), all descending. */
function cursorOf(row: ActivityRow): string {
  return encodeCursor(CURSOR_KIND, `${new Date(row.timestamp).toISOString()}|${row.source}|${row.id}`);
}

function decodeAfter(after: string): { ts: string; source: string; id: string } {
  const [ts, source, id, extra] = decodeCursor(CURSOR_KIND, after).split('|');
  if (!ts || !source || !id || extra !== undefined || Number.isNaN(Date.parse(ts)) || !/^\d+$/.test(id)) {
    throw new BadUserInputError('after: not a cursor of this connection', 'after');
  }
  return { ts, source, id };
}

function toActivity(row: ActivityRow): Activity {
  const metadata = typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as Record<string, unknown>) : (row.metadata ?? {});
  return {
    source: row.source,
    timestamp: new Date(row.timestamp),
    severity: SEVERITY_ORDER.includes(row.severity) ? row.severity : ActivitySeverity.INFO,
    component: row.component,
    description: row.description,
    correlationId: row.correlation_id,
    // Drop the nulls json_build_object keeps for absent values.
    metadata: Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== null)),
  };
}

/** Reads activity.recent_system_activity (raw SQL: the activity schema has no Prisma models). */
export class ActivityService {
  constructor(private readonly sql: SqlExecutor) {}

  /** Everything, for administrators; severity is a minimum (WARN: WARN, ERROR and FATAL). */
  systemActivity(args: SystemActivityArgs): Promise<ActivityConnection> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => (params.push(value), `$${params.length}`);
    if (args.severity) where.push(`severity = ANY(${param(SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(args.severity)))}::text[])`);
    if (args.source) where.push(`source = ${param(args.source)}`);
    if (args.correlationId) where.push(`correlation_id = ${param(args.correlationId)}`);
    if (args.from) where.push(`"timestamp" >= ${param(args.from.toISOString())}::timestamptz`);
    if (args.to) where.push(`"timestamp" < ${param(args.to.toISOString())}::timestamptz`);
    return this.page(where, params, args);
  }

  /** One account's own rows: their user actions and their portfolios' trading events, never anyone else's. */
  myActivity(accountId: string, args: MyActivityArgs): Promise<ActivityConnection> {
    return this.page([`user_id = $1::uuid`, `source IN ('USER_ACTION', 'TRADING')`], [accountId], args);
  }

  private async page(where: string[], params: unknown[], { first, after }: Page): Promise<ActivityConnection> {
    if (after) {
      const { ts, source, id } = decodeAfter(after);
      params.push(ts, source, id);
      const n = params.length;
      where.push(`("timestamp", source, id) < ($${n - 2}::timestamptz, $${n - 1}::text, $${n}::bigint)`);
    }
    params.push(first + 1);
    const rows = await this.sql.query<ActivityRow>(
      `SELECT source, id::text AS id, "timestamp", severity, component, description, correlation_id, metadata
       FROM activity.recent_system_activity
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY "timestamp" DESC, source DESC, id DESC
       LIMIT $${params.length}`,
      params,
    );
    const { edges, pageInfo } = toPage(rows, first, cursorOf);
    return { edges: edges.map(({ node, cursor }) => ({ node: toActivity(node), cursor })), pageInfo };
  }
}
