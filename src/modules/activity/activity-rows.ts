/** Rows of the activity schema's tables (prisma/user/migrations/20261203010000_activity_logs), as the writer takes them. */

export interface SystemLogRow {
  ts: string;
  level: string;
  logger: string;
  correlation_id?: string | null;
  message: string;
  module?: string | null;
  function?: string | null;
  pid: number;
  metadata?: Record<string, unknown>;
}

export interface ErrorLogRow {
  ts: string;
  type: string;
  message: string;
  stack?: string | null;
  component: string;
  correlation_id?: string | null;
  user_id?: string | null;
  request_path?: string | null;
}

export interface PerformanceLogRow {
  ts: string;
  operation: string;
  duration_ms: number;
  /** `ok`, `slow` (over ACTIVITY_SLOW_OPERATION_MS) or `error`. */
  status: 'ok' | 'slow' | 'error';
  component: string;
  correlation_id?: string | null;
  memory_mb?: number | null;
  cpu_percent?: number | null;
}

export interface UserActionLogRow {
  ts: string;
  action: string;
  user_id?: string | null;
  session?: string | null;
  ip?: string | null;
  user_agent?: string | null;
  path?: string | null;
  method?: string | null;
  /** `OK`, or the first error's extensions.code. */
  status: string;
  duration_ms: number;
  correlation_id?: string | null;
}

export interface ActivityRows {
  system_logs: SystemLogRow;
  error_logs: ErrorLogRow;
  performance_logs: PerformanceLogRow;
  user_action_logs: UserActionLogRow;
}

export type ActivityTable = keyof ActivityRows;

export const ACTIVITY_TABLES: readonly ActivityTable[] = ['system_logs', 'error_logs', 'performance_logs', 'user_action_logs'];

/** Column definitions for jsonb_to_recordset: one parameter carries a whole batch, on pg and PGlite alike. */
export const ACTIVITY_COLUMNS: Record<ActivityTable, string> = {
  system_logs: 'ts timestamptz, level varchar, logger varchar, correlation_id varchar, message text, module varchar, "function" varchar, pid int, metadata jsonb',
  error_logs: 'ts timestamptz, type varchar, message text, stack text, component varchar, correlation_id varchar, user_id uuid, request_path text',
  performance_logs: 'ts timestamptz, operation varchar, duration_ms numeric, status varchar, component varchar, correlation_id varchar, memory_mb numeric, cpu_percent numeric',
  user_action_logs: 'ts timestamptz, action varchar, user_id uuid, session varchar, ip inet, user_agent text, path text, method varchar, status varchar, duration_ms numeric, correlation_id varchar',
};

/** Text columns are cut to their width here, so one long value never fails a whole batch. */
export const COLUMN_WIDTHS: Record<string, number> = {
  level: 10,
  logger: 100,
  correlation_id: 100,
  module: 100,
  function: 100,
  type: 200,
  component: 100,
  operation: 200,
  action: 200,
  session: 100,
  method: 10,
  status: 40,
};

/** Filled in for absent fields: jsonb_to_recordset yields NULL for a missing key, which would beat the column default. */
export const ROW_DEFAULTS: Partial<Record<ActivityTable, Record<string, unknown>>> = {
  system_logs: { metadata: {} },
};
