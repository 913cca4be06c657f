import type { SqlExecutor } from '../../db/sql-executor.js';
import { BoundedQueue } from './bounded-queue.js';
import { ACTIVITY_COLUMNS, COLUMN_WIDTHS, ROW_DEFAULTS, type ActivityRows, type ActivityTable } from './activity-rows.js';

export interface ActivityWriterOptions {
  /** Rows waiting at most; past it the oldest waiting row is dropped and counted. @default 10000 */
  queueMax?: number;
  /** Milliseconds between timed flushes. @default 1000 */
  flushMs?: number;
  /** A flush starts as soon as this many rows wait, and writes at most this many per batch. @default 500 */
  flushRows?: number;
  /** Called when a batch could not be written (its rows are lost and counted as failed). @default ignore */
  onError?: (error: unknown, rows: number) => void;
}

export interface ActivityWriterStats {
  /** Rows waiting in the queue now. */
  queued: number;
  /** Rows written since start. */
  written: number;
  /** Rows dropped because the queue was full (the database was slower than the traffic). */
  dropped: number;
  /** Rows lost because their batch failed to insert. */
  failed: number;
}

type Entry = { [K in ActivityTable]: { table: K; row: ActivityRows[K] } }[ActivityTable];

function clipped(table: ActivityTable, row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const present = Object.entries(row).filter(([, value]) => value !== undefined);
  for (const [key, value] of Object.entries({ ...ROW_DEFAULTS[table], ...Object.fromEntries(present) })) {
    const width = COLUMN_WIDTHS[key];
    out[key] = width && typeof value === 'string' && value.length > width ? value.slice(0, width) : value;
  }
  return out;
}

/**
 * Writes activity rows off the request path: record() only appends to a
 * bounded in-memory queue; a timer (every flushMs, or as soon as flushRows
 * rows wait) writes them in batches, one INSERT per table, one flush at a
 * time. A slow or locked database therefore holds at most one batch and one
 * connection; meanwhile the queue keeps the newest queueMax rows and counts
 * what it dropped, and no caller ever waits.
 */
export class ActivityWriter {
  private readonly queue: BoundedQueue<Entry>;
  private readonly flushMs: number;
  private readonly flushRows: number;
  private readonly onError: (error: unknown, rows: number) => void;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly counts = { written: 0, dropped: 0, failed: 0 };

  constructor(
    private readonly sql: SqlExecutor,
    options: ActivityWriterOptions = {},
  ) {
    this.queue = new BoundedQueue(options.queueMax ?? 10_000);
    this.flushMs = options.flushMs ?? 1_000;
    this.flushRows = options.flushRows ?? 500;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Starts the timed flushes (the timer does not keep the process alive). */
  start(): this {
    if (!this.timer && !this.closed) {
      this.timer = setInterval(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
    return this;
  }

  /** Queues one row; never waits and never throws. */
  record<K extends ActivityTable>(table: K, row: ActivityRows[K]): void {
    if (this.closed) return;
    if (this.queue.push({ table, row } as Entry)) this.counts.dropped += 1;
    if (this.queue.length >= this.flushRows && !this.flushing && this.timer) setImmediate(() => void this.flush());
  }

  stats(): ActivityWriterStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /**
   * Writes what is queued, in batches of flushRows, and resolves when done. A
   * flush already running is joined, not doubled; rows queued during it are
   * written by the same call.
   */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.take(this.flushRows);
      await this.write(batch);
    }
  }

  private async write(batch: Entry[]): Promise<void> {
    const byTable = new Map<ActivityTable, Record<string, unknown>[]>();
    for (const { table, row } of batch) {
      const rows = byTable.get(table) ?? [];
      rows.push(clipped(table, row));
      byTable.set(table, rows);
    }
    for (const [table, rows] of byTable) {
      const columns = ACTIVITY_COLUMNS[table];
      const names = columns.split(', ').map((definition) => definition.split(' ')[0]).join(', ');
      try {
        await this.sql.query(
          `INSERT INTO activity.${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${columns})`,
          [JSON.stringify(rows)],
        );
        this.counts.written += rows.length;
      } catch (error) {
        this.counts.failed += rows.length;
        this.onError(error, rows.length);
      }
    }
  }

  /** Stops the timer and writes what is left (waiting at most `graceMs`); later record() calls are ignored. */
  async close(graceMs = 2_000): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.closed = true;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((done) => (timeout = setTimeout(done, graceMs)))]);
    clearTimeout(timeout);
  }
}
