import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp, type App } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { migrate } from '../src/db/migrator.js';
import { createPgExecutor, type SqlExecutor } from '../src/db/sql-executor.js';
import { migrationsDir, type DatabaseName } from '../src/paths.js';

/** Benchmarks run on real PostgreSQL: BENCH_DATABASE_URL, else the local server. */
export const BENCH_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  sql: SqlExecutor;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one benchmark run, dropped afterwards. */
export async function createBenchDatabase(name: DatabaseName): Promise<BenchDatabase> {
  const database = `mg_bench_${name}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${database}`;
  const sql = createPgExecutor(new pg.Pool({ connectionString: url.toString(), max: 2 }));
  await migrate(sql, migrationsDir(name));
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.close();
      const dropper = new pg.Client({ connectionString: BENCH_SERVER_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export interface BenchApp {
  app: App;
  config: Config;
  url: string;
  /** POSTs one operation (with a bearer token when given) and returns the parsed body. */
  post(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ data?: any; errors?: { message: string }[] }>;
}

/** The app on two bench databases, listening on a free port, rate limits and seeding off; `env` adds settings. */
export async function startBenchApp(stock: BenchDatabase, user: BenchDatabase, env: Record<string, string> = {}): Promise<BenchApp> {
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', PASSWORD_HASH_COST: '12', SEED_ON_START: 'false',
    RATE_LIMITS: 'off', STOCK_DATABASE_URL: stock.url, USER_DATABASE_URL: user.url, ...env,
  });
  const app = await createApp(config);
  const url = await app.listen();
  return {
    app,
    config,
    url,
    async post(query, variables = {}, token) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: any; errors?: { message: string }[] };
    },
  };
}

export interface LatencySummary {
  n: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Runs `fn` `warmup` times unmeasured, then `n` times one after another; returns latency percentiles. */
export async function measure(fn: () => Promise<unknown>, n: number, warmup = Math.ceil(n / 5)): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { n, meanMs: samples.reduce((a, b) => a + b, 0) / n, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
