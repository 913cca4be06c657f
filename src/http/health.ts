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
