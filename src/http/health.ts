import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SqlExecutor } from '../db/sql-executor.js';
import { readMigrations } from '../db/migrator.js';

export type ComponentState = 'up' | 'down' | 'embedded';

export interface HealthCheck {
  name: string;
  /** Resolves with the component's state; a throw or a time-out counts as down. */
  check(): Promise<ComponentState>;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  components: Record<string, { state: ComponentState; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkHealth(checks: readonly HealthCheck[]): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        return [name, { state: await withTimeout(check(), CHECK_TIMEOUT_MS) }] as const;
      } catch (error) {
        return [name, { state: 'down' as const, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  const components = Object.fromEntries(results);
  const status = results.every(([, r]) => r.state !== 'down') ? 'ok' : 'degraded';
  return { status, components };
}

export interface ReadinessReport extends HealthReport {
  /** Components that are down, by name: what an operator looks at first. */
  down: string[];
}

/** /readyz: 200 only when every component is up (embedded ones count as up), else 503 naming what is down. */
export async function checkReadiness(checks: readonly HealthCheck[]): Promise<ReadinessReport> {
  const report = await checkHealth(checks);
  const down = Object.entries(report.components)
    .filter(([, component]) => component.state === 'down')
    .map(([name]) => name);
  return { ...report, down };
}

// --- the checks the app composes ---

/** A database answers `SELECT 1`. */
export function databaseCheck(db: { name: string; ping(): Promise<void> }): HealthCheck {
  return { name: `${db.name}Db`, check: async () => (await db.ping(), 'up') };
}

/** Redis answers PING; `embedded` when the app runs without Redis. */
export function redisCheck(redis: { ping(): Promise<unknown> } | undefined): HealthCheck {
  return { name: 'redis', check: async () => (redis ? (await redis.ping(), 'up') : 'embedded') };
}

/** The event bus's subscriber connection is up (a Redis bus), or the bus is in-process. */
export function eventBusCheck(bus: { isConnected: boolean } | null): HealthCheck {
  return {
    name: 'eventBus',
    check: async () => {
      if (!bus) return 'embedded';
      if (!bus.isConnected) throw new Error('the Redis subscriber connection is down');
      return 'up';
    },
  };
}

/**
 * Every migration on disk is recorded as finished in the database's `_prisma_migrations` (with
 * MIGRATE_ON_START=false another process or a deploy step migrates; until it has, this process is not ready).
 * `appliedAtStart`: this process migrated at start-up, so it holds from the start. Once it holds, it holds: later
 * probes do not read the table again, and a database outage is reported by the database's own component only.
 */
export function migrationsCheck(db: { name: string; sql: SqlExecutor }, dir: string, appliedAtStart = false): HealthCheck {
  const expected = readMigrations(dir).map((file) => file.name);
  let applied = appliedAtStart;
  return {
    name: `${db.name}Migrations`,
    async check() {
      if (applied) return 'up';
      const rows = await db.sql.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const done = new Set(rows.map((row) => row.migration_name));
      const pending = expected.filter((name) => !done.has(name));
      if (pending.length > 0) throw new Error(`${pending.length} migration(s) not applied: ${pending.slice(0, 3).join(', ')}`);
      applied = true;
      return 'up';
    },
  };
}

/** A start-up task (the indicator history warm-up) has settled; `up` at once when there is none. */
export function warmUpCheck(name: string, task: Promise<unknown> | null): HealthCheck {
  let settled = task === null;
  void task?.finally(() => (settled = true)).catch(() => undefined);
  return {
    name,
    check: async () => {
      if (!settled) throw new Error('still running');
      return 'up';
    },
  };
}

export interface HealthRoutesOptions {
  /** /healthz: the dependencies' combined report (200 unless one is down). */
  health: readonly HealthCheck[];
  /** /readyz: everything a load balancer needs before sending traffic (503 naming what is down). */
  readiness: readonly HealthCheck[];
  /** True once shutdown has begun: /readyz answers 503 `draining` so the balancer stops sending traffic. */
  isDraining(): boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * /livez (the process answers: nothing is checked, so a slow database never gets a healthy process restarted),
 * /readyz and /healthz. Resolves true when it answered the request.
 */
export function createHealthRoutes(options: HealthRoutesOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    switch (url.pathname) {
      case '/livez':
        sendJson(res, 200, { status: 'ok' });
        return true;
      case '/readyz': {
        const report = options.isDraining() ? { status: 'draining' as const, down: ['shutting down'], components: {} } : await checkReadiness(options.readiness);
        sendJson(res, report.status === 'ok' ? 200 : 503, report);
        return true;
      }
      case '/healthz': {
        const report = await checkHealth(options.health);
        sendJson(res, report.status === 'ok' ? 200 : 503, report);
        return true;
      }
      default:
        return false;
    }
  };
}
