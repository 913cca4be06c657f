import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStockDatabase, type Database, type StockClient } from '../../src/db/database.js';
import { isReadOnlyStatement, runOperation } from '../../src/db/read-replicas.js';
import { IngestService } from '../../src/modules/market/ingest.service.js';
import { runInRequestScope } from '../../src/observability/request-id.js';
import { openTestDatabase, testTarget, type TestDatabase } from '../support/databases.js';
import { inCi } from '../support/servers.js';

const replicaServer = process.env.TEST_STOCK_REPLICA_URL || undefined;
const primaryServer = process.env.TEST_STOCK_DATABASE_URL || undefined;
if (inCi && primaryServer && !replicaServer) throw new Error('CI=true but TEST_STOCK_REPLICA_URL is not set: .ci/run starts a replica (scripts/start-replica.sh)');

describe('which statements a replica may answer', () => {
  it('sends plain reads to a replica and anything that writes, locks or calls a writing function to the primary', () => {
    for (const read of ['SELECT 1', '  select * from stock', 'WITH x AS (SELECT 1) SELECT * FROM x', '(SELECT 1) UNION (SELECT 2)', 'SHOW TimeZone', "SELECT symbol FROM stock WHERE name = 'Lockheed'"]) {
      expect(isReadOnlyStatement(read), read).toBe(true);
    }
    for (const write of [
      'INSERT INTO stock VALUES (1)',
      'UPDATE stock SET name = $1',
      'WITH moved AS (DELETE FROM blacklist RETURNING *) SELECT * FROM moved',
      'SELECT * FROM stock FOR UPDATE',
      'SELECT * FROM stock FOR NO KEY UPDATE',
      'SELECT ensure_stock_price_partitions($1::timestamptz, $2::timestamptz) AS created',
      'SELECT pg_advisory_xact_lock($1)',
      "SELECT nextval('x')",
      'SELECT * INTO copy FROM stock',
      'BEGIN',
      'CREATE TABLE t (a int)',
    ]) {
      expect(isReadOnlyStatement(write), write).toBe(false);
    }
  });
});

async function replicaOf(db: TestDatabase): Promise<string> {
  const url = new URL(replicaServer!);
  url.pathname = new URL(db.url!).pathname;
  // CREATE DATABASE replays on the replica within moments; wait for it.
  for (let attempt = 0; ; attempt += 1) {
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      await client.end();
      return url.toString();
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const inRecovery = async (db: Database<StockClient>) => (await db.sql.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0]!.r;

describe.skipIf(!replicaServer || !primaryServer)('stock reads on a streaming replica (needs TEST_STOCK_REPLICA_URL, see scripts/start-replica.sh)', () => {
  let fresh: TestDatabase;
  let db: Database<StockClient>;
  beforeAll(async () => {
    fresh = await openTestDatabase('stock');
    db = await openStockDatabase(testTarget(fresh), [await replicaOf(fresh)]);
  });
  afterAll(async () => {
    await db?.close();
    await fresh?.close();
  });

  it('refuses to open when a listed replica cannot be reached, naming it', async () => {
    await expect(openStockDatabase(testTarget(fresh), ['postgres://postgres@127.0.0.1:1/nowhere'])).rejects.toThrow(
      /Cannot reach the stock database at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/,
    );
  });

  it('answers raw reads from the replica and sends writes to the primary', async () => {
    expect(db.replicas).toBe(1);
    expect(await inRecovery(db)).toBe(true);
    await db.sql.query(`INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES ('RPLA', 'Replica A', 'Technology', 'Software', 'NYSE')`);
    // Outside an operation every statement stands alone: the next read goes to the replica again.
    expect(await inRecovery(db)).toBe(true);
    const primary = await fresh.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock WHERE symbol = 'RPLA'`);
    expect(primary).toEqual([{ n: 1 }]);
  });

  it('reads from the primary for the rest of an operation once it has written (read-your-writes)', async () => {
    await runOperation(async () => {
      expect(await inRecovery(db)).toBe(true);
      await db.sql.query(`INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES ('RPLB', 'Replica B', 'Technology', 'Software', 'NYSE')`);
      expect(await inRecovery(db)).toBe(false);
      expect(await db.sql.query(`SELECT symbol FROM stock WHERE symbol = 'RPLB'`)).toEqual([{ symbol: 'RPLB' }]);
    });
    // An HTTP request is one operation too (src/app.ts runs each in a request scope).
    await runInRequestScope({ requestId: 'replica-test' }, async () => {
      await new IngestService(db.sql).ingestTicks([{ symbol: 'RPLB', price: '10.00', volume: 1, timestamp: new Date('2025-03-05T14:30:00Z') }]);
      expect(await inRecovery(db)).toBe(false);
      expect(await db.sql.query(`SELECT close::text FROM stock_price WHERE symbol = 'RPLB' AND interval = 'DAY'`)).toEqual([{ close: '10.000000' }]);
    });
    expect(await inRecovery(db)).toBe(true);
  });

  it('routes Prisma reads to the replica client and writes, and reads after a write, to the primary', async () => {
    db.replicaQueries.reset();
    expect(await db.prisma.stock.count()).toBeGreaterThanOrEqual(0);
    expect(db.replicaQueries.count).toBe(1);

    await runOperation(async () => {
      await db.prisma.stock.create({ data: { symbol: 'RPLC', name: 'Replica C', sector: 'Technology', industry: 'Software', exchange: 'NYSE' } });
      const row = await db.prisma.stock.findUnique({ where: { symbol: 'RPLC' } });
      expect(row?.name).toBe('Replica C');
      const [{ recovering }] = await db.prisma.$queryRaw<[{ recovering: boolean }]>`SELECT pg_is_in_recovery() AS recovering`;
      expect(recovering).toBe(false);
    });
    expect(db.replicaQueries.count).toBe(1);

    // The replica catches up: a later, separate read sees the row there.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await db.prisma.stock.findUnique({ where: { symbol: 'RPLC' } })) !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(db.replicaQueries.count).toBeGreaterThan(1);
    expect(db.replicaQueries.statements.at(-1)).toMatch(/SELECT/);
  });
});

/** A TCP relay to the replica that the test can cut, as a replica going down would. */
async function relayTo(port: number): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(!replicaServer || !primaryServer)('a replica that goes down (needs TEST_STOCK_REPLICA_URL)', () => {
  it('answers reads from the primary instead, on both paths, and leaves the replica out for a while', async () => {
    const fresh = await openTestDatabase('stock');
    const direct = new URL(await replicaOf(fresh));
    const relay = await relayTo(Number(direct.port || 5432));
    direct.port = String(relay.port);
    const db = await openStockDatabase(testTarget(fresh), [direct.toString()]);
    try {
      expect(await inRecovery(db)).toBe(true);
      expect(await db.prisma.stock.count()).toBe(0);
      await relay.cut();
      // Prisma finds the replica gone and asks the primary; the raw path then skips the replica at once.
      expect(await db.prisma.stock.count()).toBe(0);
      db.replicaQueries.reset();
      expect(await inRecovery(db)).toBe(false);
      expect(await db.prisma.stock.findMany()).toEqual([]);
      // Left out: not even tried.
      expect(db.replicaQueries.count).toBe(0);
    } finally {
      await db.close();
      await fresh.close();
    }
  });
});
