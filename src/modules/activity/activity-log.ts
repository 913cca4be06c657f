import type { ActivityConfig } from '../../config.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Job } from '../../jobs/scheduler.js';
import { tapLogger, type LogRecord, type Logger } from '../../log.js';
import type { ErrorLogRow, PerformanceLogRow, UserActionLogRow } from './activity-rows.js';
import { ActivityWriter, type ActivityWriterStats } from './activity-writer.js';

const BYTES_PER_MB = 1024 * 1024;
const ERROR_LOG_EVERY_MS = 60_000;
/** Bindings of the writer's own log lines: the tap skips them, so a failing flush does not feed itself. */
const OWN_COMPONENT = 'activity-log';

function metadataOf(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = { type: value.name, message: value.message, stack: value.stack };
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
    else {
      const text = JSON.stringify(value);
      if (text !== undefined && text.length <= 2_000) out[key] = value;
    }
  }
  return out;
}

function sample(): { memory_mb: number } {
  return { memory_mb: Math.round((process.memoryUsage.rss() / BYTES_PER_MB) * 100) / 100 };
}

/**
 * What the app records in the activity schema (user actions, unexpected
 * errors, warn+ log lines, job runs and slow operations), all through one
 * batched writer. Disabled (ACTIVITY_LOG_ENABLED=false): every call is a no-op.
 */
export class ActivityLog {
  readonly writer: ActivityWriter | null;
  private untap: () => void = () => undefined;
  private lastErrorLog = 0;

  constructor(
    sql: SqlExecutor,
    readonly config: ActivityConfig,
    private readonly logger: Logger,
  ) {
    const own = logger.child({ component: OWN_COMPONENT });
    this.writer = config.enabled
      ? new ActivityWriter(sql, {
          queueMax: config.queueMax,
          flushMs: config.flushMs,
          flushRows: config.flushRows,
          onError: (err, rows) => {
            if (Date.now() - this.lastErrorLog < ERROR_LOG_EVERY_MS) return;
            this.lastErrorLog = Date.now();
            own.warn({ err, rows, stats: this.writer?.stats() }, 'could not write activity rows; they are lost (logged at most once a minute)');
          },
        })
      : null;
  }

  /** Starts flushing and records the logger's warn-and-above lines as system_logs rows. */
  start(): this {
    if (!this.writer) return this;
    this.writer.start();
    this.untap = tapLogger(this.logger, (record) => this.systemLog(record));
    return this;
  }

  stats(): ActivityWriterStats {
    return this.writer?.stats() ?? { queued: 0, written: 0, dropped: 0, failed: 0 };
  }

  systemLog(record: LogRecord): void {
    if (!this.writer || record.bindings.component === OWN_COMPONENT) return;
    const { requestId, module, job, ...rest } = { ...record.bindings, ...record.fields } as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    this.writer.record('system_logs', {
      ts: new Date().toISOString(),
      level: record.level,
      logger: text(record.bindings.name) ?? 'marketgraph',
      correlation_id: text(requestId),
      message: record.msg,
      module: text(module) ?? (job ? 'jobs' : text(rest.component)),
      function: text(job),
      pid: process.pid,
      metadata: metadataOf(rest),
    });
  }

  userAction(row: Omit<UserActionLogRow, 'ts'>): void {
    this.writer?.record('user_action_logs', { ts: new Date().toISOString(), ...row });
  }

  error(error: Error, row: Omit<ErrorLogRow, 'ts' | 'type' | 'message' | 'stack'>): void {
    this.writer?.record('error_logs', {
      ts: new Date().toISOString(),
      type: error.name || error.constructor?.name || 'Error',
      message: error.message,
      stack: error.stack ?? null,
      ...row,
    });
  }

  performance(row: Omit<PerformanceLogRow, 'ts'>): void {
    this.writer?.record('performance_logs', { ts: new Date().toISOString(), ...sample(), ...row });
  }

  /** The same job, with every run written to performance_logs (duration, ok or error, memory and CPU). */
  observeJob(job: Job): Job {
    if (!this.writer) return job;
    return {
      ...job,
      run: async () => {
        const started = performance.now();
        const cpu = process.cpuUsage();
        let status: PerformanceLogRow['status'] = 'ok';
        try {
          return await job.run();
        } catch (error) {
          status = 'error';
          throw error;
        } finally {
          const ms = performance.now() - started;
          const used = process.cpuUsage(cpu);
          const cpuPercent = ms > 0 ? ((used.user + used.system) / 1000 / ms) * 100 : 0;
          this.performance({
            operation: `job:${job.name}`,
            duration_ms: Math.round(ms * 1000) / 1000,
            status,
            component: 'jobs',
            cpu_percent: Math.min(9999, Math.round(cpuPercent * 100) / 100),
          });
        }
      },
    };
  }

  /** Stops recording and writes what is queued (bounded by graceMs). */
  async close(graceMs?: number): Promise<void> {
    this.untap();
    await this.writer?.close(graceMs);
  }
}
