import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import type { SqlExecutor } from '../../src/db/sql-executor.js';
import { dropExpiredActivity, ensureActivityPartitions } from '../../src/modules/activity/activity-retention.js';
import { migrationsDir } from '../../src/paths.js';
import { readPartitionKey, readPartitions } from '../support/catalog.js';
import { openBareTestDatabase, openTestDatabase, testServerUrl, type TestDatabase } from '../support/databases.js';

const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('trading-events-partitions.test: the lock-order test needs two connections to real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite');

const PARTITIONING_MIGRATION = '20261203020000_trading_events_partitioned';

/** An account, a portfolio and an order to hang events on; returns their ids. */
async function owner(sql: SqlExecutor): Promise<{ accountId: string; portfolioId: string; orderId: string }> {
  const accountId = randomUUID();
  const portfolioId = randomUUID();
  const orderId = randomUUID();
  await sql.query(`INSERT INTO account (id, email, password_hash, full_name, updated_at) VALUES ($1, $2, 'x', 'Trader', now())`, [
    accountId,
    `${accountId}@example.test`,
  ]);
  await sql.query(`INSERT INTO portfolio (id, account_id, name) VALUES ($1, $2, 'main')`, [portfolioId, accountId]);
  await sql.query(`INSERT INTO orders (id, portfolio_id, stock_symbol, side, type, quantity, currency) VALUES ($1, $2, 'AAPL', 'BUY', 'MARKET', 1, 'USD')`, [
    orderId,
    portfolioId,
  ]);
  return { accountId, portfolioId, orderId };
}

async function insertEvent(sql: SqlExecutor, portfolioId: string, orderId: string | null, createdAt: string, type = 'PLACED'): Promise<string> {
  const [row] = await sql.query<{ id: string }>(
    `INSERT INTO trading_events (portfolio_id, order_id, type, payload, created_at) VALUES ($1, $2, $3::trading_event_type, $4::jsonb, $5::timestamptz)
     RETURNING id::text AS id`,
    [portfolioId, orderId, type, JSON.stringify({ at: createdAt }), createdAt],
  );
  return row!.id;
}

/** Where each event of the portfolio lives, oldest first. */
async function placement(sql: SqlExecutor, portfolioId: string): Promise<string[]> {
  const rows = await sql.query<{ part: string }>(
    `SELECT c.relname AS part FROM trading_events t JOIN pg_class c ON c.oid = t.tableoid WHERE t.portfolio_id = $1 ORDER BY t.created_at, t.id`,
    [portfolioId],
  );
  return rows.map((row) => row.part);
}

const partitionNames = async (sql: SqlExecutor) => (await readPartitions(sql, 'trading_events')).map((p) => p.name).sort();

describe('the partitioned trading_events table', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('user');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('is range-partitioned by month on created_at, with a default partition and last month to two months ahead', async () => {
    expect(await readPartitionKey(db.sql, 'trading_events')).toBe('RANGE (created_at)');
    const names = await partitionNames(db.sql);
    expect(names).toContain('trading_events_default');
    for (const name of names) expect(name).toMatch(/^trading_events_(default|y\d{4}m\d{2})$/);
    const now = new Date();
    for (const ahead of [-1, 0, 1, 2]) {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1));
      expect(names).toContain(`trading_events_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`);
    }
  });

  it('puts each row in its month’s partition, and a month made later takes over the rows the default partition held', async () => {
    const { portfolioId, orderId } = await owner(db.sql);
    const now = new Date().toISOString();
    for (const at of ['2019-12-31T23:59:59.999Z', '2020-01-01T00:00:00.000Z', '2020-01-31T23:59:59.999Z', now]) await insertEvent(db.sql, portfolioId, orderId, at);
    const current = `trading_events_y${now.slice(0, 4)}m${now.slice(5, 7)}`;
    expect(await placement(db.sql, portfolioId)).toEqual(['trading_events_default', 'trading_events_default', 'trading_events_default', current]);

    const [{ created }] = await db.sql.query<{ created: number }>(`SELECT ensure_trading_events_partitions('2020-01-10T00:00:00Z', '2020-01-20T00:00:00Z') AS created`);
    expect(created).toBe(1);
    expect(await placement(db.sql, portfolioId)).toEqual(['trading_events_default', 'trading_events_y2020m01', 'trading_events_y2020m01', current]);
    const [{ again }] = await db.sql.query<{ again: number }>(`SELECT ensure_trading_events_partitions('2020-01-01T00:00:00Z', '2020-01-31T00:00:00Z') AS again`);
    expect(again).toBe(0);
    // The foreign keys hold on a partition attached later too.
    await expect(insertEvent(db.sql, randomUUID(), null, '2020-01-15T00:00:00Z')).rejects.toThrow(/foreign key/);
  });

  it('is made ahead by the activity partition job, and retention never drops a month of it, however old', async () => {
    const { portfolioId, orderId } = await owner(db.sql);
    const now = new Date('2033-03-10T00:00:00Z');
    const before = await partitionNames(db.sql);
    await ensureActivityPartitions(db.sql, now);
    const made = (await partitionNames(db.sql)).filter((name) => !before.includes(name));
    expect(made).toEqual(['trading_events_y2033m02', 'trading_events_y2033m03', 'trading_events_y2033m04', 'trading_events_y2033m05']);
    await db.sql.query(`SELECT ensure_trading_events_partitions('2021-06-01', '2021-08-01')`);
    for (const at of ['2019-05-01T00:00:00Z', '2021-07-04T00:00:00Z', '2033-02-01T00:00:00Z']) await insertEvent(db.sql, portfolioId, orderId, at);
    const partitionsBefore = await partitionNames(db.sql);

    const report = await dropExpiredActivity(db.sql, { system: 1, performance: 1, error: 1, userAction: 1 }, new Date('2040-01-01T00:00:00Z'));

    expect(report.dropped.filter((name) => name.includes('trading_events'))).toEqual([]);
    expect(report.dropped).toContain('activity.system_logs_y2033m03');
    expect(await partitionNames(db.sql)).toEqual(partitionsBefore);
    expect(await placement(db.sql, portfolioId)).toEqual(['trading_events_default', 'trading_events_y2021m07', 'trading_events_y2033m02']);
  });

  it.skipIf(!realPostgres)('lets an order transaction that already wrote its order finish while a month is being made, instead of deadlocking', async () => {
    const { portfolioId, orderId } = await owner(db.sql);
    const order = new pg.Client({ connectionString: db.url });
    const maintenance = new pg.Client({ connectionString: db.url });
    await Promise.all([order.connect(), maintenance.connect()]);
    try {
      const [{ pid }] = (await maintenance.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      await order.query('BEGIN');
      await order.query(`UPDATE orders SET updated_at = now() WHERE id = $1`, [orderId]);
      // Attaching a month clones the foreign keys, which needs orders locked against writers.
      const making = maintenance.query<{ created: number }>(`SELECT ensure_trading_events_partitions('2015-03-01', '2015-03-01') AS created`);
      const waiting = async () =>
        (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND NOT granted`, [pid]))[0]!.n;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // The order's event goes in while maintenance waits: it must not be queued behind a lock maintenance holds.
      await order.query(`INSERT INTO trading_events (portfolio_id, order_id, type, payload) VALUES ($1, $2, 'FILLED', '{}')`, [portfolioId, orderId]);
      await order.query('COMMIT');
      expect((await making).rows).toEqual([{ created: 1 }]);
      expect(await db.sql.query(`SELECT count(*)::int AS n FROM trading_events WHERE order_id = $1`, [orderId])).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all([order.end(), maintenance.end()]);
    }
  });

  it('cascades a deleted portfolio and clears a deleted order in every partition', async () => {
    const { portfolioId, orderId } = await owner(db.sql);
    await db.sql.query(`SELECT ensure_trading_events_partitions('2022-02-01', '2022-02-01')`);
    const kept = await insertEvent(db.sql, portfolioId, orderId, '2022-02-02T00:00:00Z');
    await insertEvent(db.sql, portfolioId, orderId, '2018-02-02T00:00:00Z');
    await db.sql.query(`DELETE FROM orders WHERE id = $1`, [orderId]);
    expect(await db.sql.query(`SELECT count(*)::int AS n FROM trading_events WHERE portfolio_id = $1 AND order_id IS NULL`, [portfolioId])).toEqual([{ n: 2 }]);
    await db.sql.query(`DELETE FROM portfolio WHERE id = $1`, [portfolioId]);
    expect(await db.sql.query(`SELECT count(*)::int AS n FROM trading_events WHERE id = $1`, [kept])).toEqual([{ n: 0 }]);
  });
});

describe('the migration that partitions trading_events', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  /** The user migrations before PARTITIONING_MIGRATION, in a folder of their own. */
  function migrationsBefore(): string {
    const dir = mkdtempSync(join(tmpdir(), 'mg-before-partitioning-'));
    const source = migrationsDir('user');
    const names = readdirSync(source, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name < PARTITIONING_MIGRATION);
    expect(names.length).toBeGreaterThan(0);
    for (const entry of names) cpSync(join(source, entry.name), join(dir, entry.name), { recursive: true });
    return dir;
  }

  it('keeps every existing row, its id and the id sequence, puts old rows in their months and keeps the activity view', async () => {
    db = await openBareTestDatabase('user');
    await migrate(db.sql, migrationsBefore());
    expect(await readPartitionKey(db.sql, 'trading_events')).toBeNull();
    const { accountId, portfolioId, orderId } = await owner(db.sql);
    const events = [
      { at: '2025-11-03T10:00:00.000Z', type: 'PLACED' },
      { at: '2025-11-30T23:59:59.999Z', type: 'PARTIALLY_FILLED' },
      { at: '2026-02-14T12:00:00.000Z', type: 'FILLED' },
    ];
    for (const { at, type } of events) await insertEvent(db.sql, portfolioId, orderId, at, type);
    const read = `SELECT id::text AS id, portfolio_id, order_id, type::text AS type, payload, created_at FROM trading_events ORDER BY id`;
    const before = await db.sql.query<Record<string, unknown>>(read);
    expect(before).toHaveLength(3);

    const report = await migrate(db.sql, migrationsDir('user'));

    expect(report.applied).toContain(PARTITIONING_MIGRATION);
    expect(await readPartitionKey(db.sql, 'trading_events')).toBe('RANGE (created_at)');
    expect(await db.sql.query(read)).toEqual(before);
    expect(await placement(db.sql, portfolioId)).toEqual(['trading_events_y2025m11', 'trading_events_y2025m11', 'trading_events_y2026m02']);
    // Every month from the first event on exists, events or not.
    expect(await partitionNames(db.sql)).toEqual(expect.arrayContaining(['trading_events_y2025m12', 'trading_events_y2026m01']));
    const next = await insertEvent(db.sql, portfolioId, orderId, new Date().toISOString(), 'CANCELED');
    expect(BigInt(next)).toBeGreaterThan(BigInt(before[2]!.id as string));
    const timeline = await db.sql.query<{ description: string }>(
      `SELECT description FROM activity.recent_system_activity WHERE source = 'TRADING' AND user_id = $1 ORDER BY "timestamp", id`,
      [accountId],
    );
    expect(timeline.map((row) => row.description)).toEqual(['PLACED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED']);
    expect(await db.sql.query(`SELECT to_regclass('trading_events_unpartitioned') AS old`)).toEqual([{ old: null }]);
  }, 120_000);
});
