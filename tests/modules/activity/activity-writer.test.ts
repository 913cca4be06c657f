import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { ActivityLog } from '../../../src/modules/activity/activity-log.js';
import { ActivityWriter } from '../../../src/modules/activity/activity-writer.js';
import { dropExpiredActivity, ensureActivityPartitions } from '../../../src/modules/activity/activity-retention.js';
import { BoundedQueue } from '../../../src/modules/activity/bounded-queue.js';
import type { UserActionLogRow } from '../../../src/modules/activity/activity-rows.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('user');
}, 60_000);
afterAll(async () => {
  await db?.close();
});

const action = (correlation: string, ts = new Date().toISOString()): UserActionLogRow => ({
  ts,
  action: 'createApiKey',
  status: 'OK',
  duration_ms: 1.5,
  ip: '203.0.113.7',
  correlation_id: correlation,
});

async function correlationIds(table: string, prefix: string): Promise<string[]> {
  const rows = await db.sql.query<{ correlation_id: string }>(
    `SELECT correlation_id FROM activity.${table} WHERE correlation_id LIKE $1 ORDER BY id`,
    [`${prefix}%`],
  );
  return rows.map((row) => row.correlation_id);
}

describe('the bounded queue', () => {
  it('keeps the newest items when full and says which pushes dropped the oldest', () => {
    const queue = new BoundedQueue<number>(3);
    expect([1, 2, 3, 4, 5].map((n) => queue.push(n))).toEqual([false, false, false, true, true]);
    expect(queue.take(2)).toEqual([3, 4]);
    queue.push(6);
    expect(queue.take(10)).toEqual([5, 6]);
    expect(queue.length).toBe(0);
  });
});

describe('the activity writer', () => {
  it('writes queued rows of every table in one flush, in batches no larger than flushRows', async () => {
    const writer = new ActivityWriter(db.sql, { flushRows: 2 });
    for (const n of [1, 2, 3]) writer.record('user_action_logs', action(`batch-${n}`));
    writer.record('system_logs', { ts: new Date().toISOString(), level: 'warn', logger: 'test', message: 'disk nearly full', pid: 1, correlation_id: 'batch-s', metadata: { free: 3 } });
    writer.record('error_logs', { ts: new Date().toISOString(), type: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n at y', component: 'graphql', correlation_id: 'batch-e' });
    writer.record('performance_logs', { ts: new Date().toISOString(), operation: 'job:quotes', duration_ms: 12.25, status: 'ok', component: 'jobs', correlation_id: 'batch-p' });
    expect(writer.stats()).toEqual({ queued: 6, written: 0, dropped: 0, failed: 0 });
    await writer.flush();
    expect(writer.stats()).toEqual({ queued: 0, written: 6, dropped: 0, failed: 0 });
    expect(await correlationIds('user_action_logs', 'batch-')).toEqual(['batch-1', 'batch-2', 'batch-3']);
    expect(await correlationIds('system_logs', 'batch-')).toEqual(['batch-s']);
    expect(await correlationIds('error_logs', 'batch-')).toEqual(['batch-e']);
    expect(await correlationIds('performance_logs', 'batch-')).toEqual(['batch-p']);
    await writer.close();
  });

  it('flushes on its own once flushRows rows wait, without anyone calling flush', async () => {
    const writer = new ActivityWriter(db.sql, { flushRows: 3, flushMs: 600_000 }).start();
    for (const n of [1, 2, 3]) writer.record('user_action_logs', action(`auto-${n}`));
    await vi.waitFor(async () => expect(await correlationIds('user_action_logs', 'auto-')).toHaveLength(3), { timeout: 10_000 });
    await writer.close();
  });

  it('flushes on its timer rows that never reach flushRows', async () => {
    const writer = new ActivityWriter(db.sql, { flushRows: 500, flushMs: 50 }).start();
    writer.record('user_action_logs', action('timer-1'));
    await vi.waitFor(async () => expect(await correlationIds('user_action_logs', 'timer-')).toEqual(['timer-1']), { timeout: 10_000 });
    await writer.close();
  });

  it('drops the oldest rows when the queue is full, counts them, and writes the newest', async () => {
    const writer = new ActivityWriter(db.sql, { queueMax: 3 });
    for (const n of [1, 2, 3, 4, 5]) writer.record('user_action_logs', action(`full-${n}`));
    expect(writer.stats()).toMatchObject({ queued: 3, dropped: 2 });
    await writer.flush();
    expect(await correlationIds('user_action_logs', 'full-')).toEqual(['full-3', 'full-4', 'full-5']);
    await writer.close();
  });

  it('cuts text longer than its column instead of failing the batch', async () => {
    const writer = new ActivityWriter(db.sql);
    writer.record('user_action_logs', { ...action('long-1'), action: 'x'.repeat(1_000), status: 'S'.repeat(100) });
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 1, failed: 0 });
    const [row] = await db.sql.query<{ n: number }>(`SELECT length(action) AS n FROM activity.user_action_logs WHERE correlation_id = 'long-1'`);
    expect(Number(row!.n)).toBe(200);
    await writer.close();
  });

  it('counts a batch the database refuses as failed and carries on with the next', async () => {
    const errors: unknown[] = [];
    const writer = new ActivityWriter(db.sql, { onError: (error) => errors.push(error) });
    writer.record('user_action_logs', { ...action('bad-1'), user_id: 'not-a-uuid' });
    await writer.flush();
    writer.record('user_action_logs', action('bad-2'));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 1, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(await correlationIds('user_action_logs', 'bad-')).toEqual(['bad-2']);
    await writer.close();
  });
});

describe('the activity log', () => {
  it("writes the logger's warn-and-above lines to system_logs with their fields as metadata, and not its info lines", async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const activity = new ActivityLog(db.sql, loadConfig({ NODE_ENV: 'test' }).activity, logger).start();
    logger.child({ module: 'feeds' }).warn({ requestId: 'tap-1', symbol: 'AAPL', err: new Error('timed out') }, 'provider answered late');
    logger.info({ requestId: 'tap-2' }, 'all fine');
    logger.error({ requestId: 'tap-3' }, 'it broke');
    await activity.close();
    const rows = await db.sql.query<Record<string, any>>(`SELECT correlation_id, level, module, message, metadata FROM activity.system_logs WHERE correlation_id LIKE 'tap-%' ORDER BY id`);
    expect(rows).toEqual([
      { correlation_id: 'tap-1', level: 'warn', module: 'feeds', message: 'provider answered late', metadata: expect.objectContaining({ symbol: 'AAPL', err: expect.objectContaining({ message: 'timed out' }) }) },
      { correlation_id: 'tap-3', level: 'error', module: null, message: 'it broke', metadata: expect.objectContaining({ service: 'marketgraph' }) },
    ]);
    expect(lines).toHaveLength(3);
  });
});

describe('activity partitions and retention', () => {
  const partitions = async (table: string) =>
    (
      await db.sql.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1) ORDER BY 1`,
        [`activity.${table}`],
      )
    ).map((row) => row.name);

  it('are created a month back and two months ahead, once, for trading_events too', async () => {
    const now = new Date('2031-05-20T12:00:00Z');
    // Four months of each of the four activity tables and of trading_events.
    expect(await ensureActivityPartitions(db.sql, now)).toBe(20);
    expect(await ensureActivityPartitions(db.sql, now)).toBe(0);
    const names = await partitions('error_logs');
    for (const month of ['2031m04', '2031m05', '2031m06', '2031m07']) expect(names).toContain(`error_logs_y${month}`);
  });

  it('drop whole months past each table’s retention, leave younger months and trading events alone', async () => {
    await db.sql.query(`SELECT activity.ensure_partitions(t, '2026-06-01', '2026-12-01') FROM unnest(ARRAY['system_logs','error_logs']) t`);
    const writer = new ActivityWriter(db.sql);
    const at = (ts: string, table: 'system_logs' | 'error_logs', tag: string) =>
      table === 'system_logs'
        ? writer.record('system_logs', { ts, level: 'warn', logger: 'test', message: tag, pid: 1, correlation_id: tag })
        : writer.record('error_logs', { ts, type: 'Error', message: tag, component: 'test', correlation_id: tag });
    at('2026-07-10T00:00:00Z', 'system_logs', 'ret-sys-jul');
    at('2026-11-20T00:00:00Z', 'system_logs', 'ret-sys-nov');
    at('2026-07-10T00:00:00Z', 'error_logs', 'ret-err-jul');
    at('2026-09-20T00:00:00Z', 'error_logs', 'ret-err-sep');
    // No partition covers 2019: the default partition holds it.
    at('2019-03-01T00:00:00Z', 'system_logs', 'ret-sys-default');
    await writer.flush();
    const [{ n: tradingBefore }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM trading_events');

    const report = await dropExpiredActivity(db.sql, { system: 30, performance: 30, error: 90, userAction: 90 }, new Date('2026-12-15T00:00:00Z'));

    // system: cutoff 2026-11-15, so June-October go and November stays; errors: cutoff 2026-09-16, so June-August go.
    expect(report.dropped).toEqual(
      expect.arrayContaining(['activity.system_logs_y2026m07', 'activity.system_logs_y2026m10', 'activity.error_logs_y2026m06', 'activity.error_logs_y2026m08']),
    );
    expect(report.dropped).not.toContain('activity.system_logs_y2026m11');
    expect(report.dropped).not.toContain('activity.error_logs_y2026m09');
    expect(report.deletedFromDefault).toBe(1);
    expect(await partitions('system_logs')).toContain('system_logs_y2026m11');
    expect(await partitions('system_logs')).not.toContain('system_logs_y2026m10');
    expect(await partitions('system_logs')).toContain('system_logs_default');
    expect(await correlationIds('system_logs', 'ret-')).toEqual(['ret-sys-nov']);
    expect(await correlationIds('error_logs', 'ret-')).toEqual(['ret-err-sep']);
    expect(await db.sql.query('SELECT count(*)::int AS n FROM trading_events')).toEqual([{ n: tradingBefore }]);
    await writer.close();
  });
});
