import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReadiness, warmUpCheck } from '../../src/http/health.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { canStartServers, startRedisServer, type RedisServer } from '../support/fault-servers.js';
import { scrape } from '../support/prometheus.js';

async function readyz(t: TestApp) {
  const response = await fetch(t.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: (await response.json()) as { status: string; down: string[]; components: Record<string, { state: string; error?: string }> } };
}

/** Polls /readyz until it answers `status` (the bus notices a lost connection on its own schedule); returns the last answer. */
async function readyzUntil(t: TestApp, status: number) {
  let last = await readyz(t);
  for (let i = 0; i < 100 && last.status !== status; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await readyz(t);
  }
  return last;
}

describe('with every component up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /readyz 200 with nothing down when every component is up or embedded, and /livez 200', async () => {
    const ready = await readyz(t);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.down).toEqual([]);
    expect(Object.keys(ready.body.components).sort()).toEqual(['eventBus', 'indicatorWarmUp', 'redis', 'stockDb', 'stockMigrations', 'userDb', 'userMigrations']);
    expect((await fetch(t.url.replace('/graphql', '/livez'))).status).toBe(200);
  });

  it('answers 503 naming the database whose migrations are not all applied, when another process is to migrate', async () => {
    let latest = '';
    const fresh = await startTestApp({
      env: { MIGRATE_ON_START: 'false' },
      // As if a deploy had not yet applied the newest stock migration.
      prepareStock: async (db) => {
        [{ migration_name: latest }] = await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`);
        await db.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [latest]);
      },
    });
    try {
      const ready = await readyz(fresh);
      expect(ready.status).toBe(503);
      expect(ready.body.down).toEqual(['stockMigrations']);
      expect(ready.body.components.stockMigrations!.error).toContain(latest);
      await fresh.stock.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = $1`, [latest]);
      expect((await readyz(fresh)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});

describe('the warm-up component', () => {
  it('is down while the start-up task runs and up once it has settled, failed or not', async () => {
    const pending = () => {
      let settle!: { resolve: () => void; reject: (error: Error) => void };
      const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      return { promise, ...settle };
    };
    const succeeds = pending();
    const fails = pending();
    const checks = [warmUpCheck('indicatorWarmUp', succeeds.promise), warmUpCheck('otherWarmUp', fails.promise), warmUpCheck('noWarmUp', null)];
    expect((await checkReadiness(checks)).down).toEqual(['indicatorWarmUp', 'otherWarmUp']);
    succeeds.resolve();
    fails.reject(new Error('the job failed; it runs again on schedule'));
    await Promise.allSettled([succeeds.promise, fails.promise]);
    expect((await checkReadiness(checks)).down).toEqual([]);
  });
});

describe.skipIf(!canStartServers)('when Redis stops', () => {
  let redis: RedisServer;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestApp({ redisUrl: redis.url, env: { REDIS_COMMAND_TIMEOUT_MS: '200', REDIS_BREAKER_OPEN_MS: '300' } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('flips /readyz to 503 naming redis and the event bus, counts the failed Redis commands, and back to 200 once Redis is back', async () => {
    expect((await readyz(t)).status).toBe(200);
    await redis.stop();
    const down = await readyzUntil(t, 503);
    expect(down.status).toBe(503);
    expect(down.body.down).toEqual(expect.arrayContaining(['redis', 'eventBus']));
    expect(down.body.down).not.toContain('stockDb');
    // /livez does not depend on Redis: the process is alive, only not ready.
    expect((await fetch(t.url.replace('/graphql', '/livez'))).status).toBe(200);
    await t.app.cache.get('quote:AAPL');
    const metrics = await scrape(t.url.replace('/graphql', '/metrics'));
    expect(metrics.all('marketgraph_redis_command_errors_total').reduce((sum, sample) => sum + sample.value, 0)).toBeGreaterThan(0);
    await redis.start();
    const up = await readyzUntil(t, 200);
    expect(up.status).toBe(200);
    expect(up.body.down).toEqual([]);
  });
});
