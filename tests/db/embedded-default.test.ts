import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { LegacyDataDirError } from '../../src/db/embedded-layout.js';
import { createLogger } from '../../src/log.js';

// The embedded default itself (no URLs at all): these tests open the real DATA_DIR layout, on any test setup.
const dataDir = mkdtempSync(join(tmpdir(), 'mg-embedded-'));

function embeddedConfig(dir: string) {
  return loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, SEED_ON_START: 'false', LOG_LEVEL: 'silent', PASSWORD_HASH_COST: '12' });
}

const openEmbedded = (dir = dataDir) => createApp(embeddedConfig(dir), { logger: createLogger('silent') });

let app: App;
beforeAll(async () => {
  app = await openEmbedded();
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded default', () => {
  it('keeps both databases in one PGlite instance under DATA_DIR/pglite, as the schemas stock_data and user_data', async () => {
    expect(readdirSync(dataDir)).toEqual(['pglite']);
    expect(app.stockDb.location).toContain(join(dataDir, 'pglite'));
    expect(app.userDb.location).toContain(join(dataDir, 'pglite'));
    const [stockSide] = await app.stockDb.sql.query<{ schema: string; schemas: string[] }>(
      `SELECT current_schema() AS schema, array(SELECT nspname::text FROM pg_namespace WHERE nspname LIKE '%\\_data' ORDER BY 1) AS schemas`,
    );
    const [userSide] = await app.userDb.sql.query<{ schema: string }>('SELECT current_schema() AS schema');
    // One instance: the stock side sees the user schema exist (it cannot use it unqualified, see below).
    expect(stockSide).toEqual({ schema: 'stock_data', schemas: ['stock_data', 'user_data'] });
    expect(userSide).toEqual({ schema: 'user_data' });
    // Each database has its own migration history.
    const stockMigrations = await app.stockDb.sql.query<{ name: string }>('SELECT migration_name AS name FROM _prisma_migrations ORDER BY 1');
    const userMigrations = await app.userDb.sql.query<{ name: string }>('SELECT migration_name AS name FROM _prisma_migrations ORDER BY 1');
    expect(stockMigrations.map((m) => m.name)).toContain('20261202050000_asset_class_fx');
    expect(userMigrations.map((m) => m.name)).toContain('20261202030000_orders');
    expect(userMigrations.map((m) => m.name)).not.toContain('20261202050000_asset_class_fx');
  });

  it('answers both Prisma clients from their own schema, and neither can see the other database unqualified', async () => {
    expect(await app.stockDb.prisma.stock.count()).toBe(0);
    expect(await app.userDb.prisma.account.count()).toBe(0);
    await expect(app.stockDb.prisma.$queryRawUnsafe('SELECT count(*) FROM account')).rejects.toThrow(/account/);
    await expect(app.stockDb.sql.query('SELECT count(*) FROM account')).rejects.toThrow(/relation "account" does not exist/);
    await expect(app.userDb.prisma.$queryRawUnsafe('SELECT count(*) FROM stock')).rejects.toThrow(/stock/);
    await expect(app.userDb.sql.query('SELECT count(*) FROM stock_price')).rejects.toThrow(/relation "stock_price" does not exist/);
  });

  it('runs every statement in its own schema while both databases send statements at once', async () => {
    const ask = (side: 'stock' | 'user', i: number) =>
      side === 'stock'
        ? app.stockDb.prisma.$queryRawUnsafe<{ schema: string }[]>('SELECT current_schema() AS schema, $1::int AS i', i)
        : app.userDb.sql.query<{ schema: string }>('SELECT current_schema() AS schema, $1::int AS i', [i]);
    const sides = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'user' : 'stock') as 'stock' | 'user');
    const answers = await Promise.all([
      ...sides.map(async (side, i) => ({ side, schema: (await ask(side, i))[0]!.schema })),
      // A transaction of one side in the middle of the other side's statements.
      app.userDb.sql.transaction(async (tx) => ({ side: 'user' as const, schema: (await tx.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]!.schema })),
    ]);
    for (const answer of answers) expect(answer.schema).toBe(`${answer.side}_data`);
  });

  it('keeps both databases across a restart', async () => {
    await app.userDb.prisma.account.create({ data: { email: 'restart@example.com', passwordHash: 'x', fullName: 'Restart' } });
    await app.stockDb.sql.query(`INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES ('KEEP', 'Kept Inc', 'Tech', 'Software', 'NASDAQ')`);
    await app.close();
    app = await openEmbedded();
    expect(await app.userDb.prisma.account.findUnique({ where: { email: 'restart@example.com' }, select: { fullName: true } })).toEqual({ fullName: 'Restart' });
    expect(await app.stockDb.prisma.stock.findUnique({ where: { symbol: 'KEEP' }, select: { name: true } })).toEqual({ name: 'Kept Inc' });
  }, 120_000);
});

describe('a DATA_DIR of an earlier version (one folder per database)', () => {
  it('is refused with a message that says what to do, and nothing is created next to it', async () => {
    const old = mkdtempSync(join(tmpdir(), 'mg-embedded-old-'));
    try {
      for (const name of ['stock', 'user']) {
        mkdirSync(join(old, name));
        writeFileSync(join(old, name, 'PG_VERSION'), '17\n');
      }
      const failure = await openEmbedded(old).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(LegacyDataDirError);
      expect((failure as Error).message).toContain(`${join(old, 'stock')} and ${join(old, 'user')}`);
      expect((failure as Error).message).toMatch(/move .* out of .* or delete them/);
      expect(existsSync(join(old, 'pglite'))).toBe(false);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
