import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Label of operations with no name. Parentheses cannot occur in a GraphQL name, so no operation can collide. */
export const ANONYMOUS_OPERATION = '(anonymous)';
/** Label shared by every operation name past the budget (see OperationNameLabels). */
export const OTHER_OPERATION = '(other)';

/**
 * Operation names come from clients, so an unbounded label would let any caller create series without end. The
 * first `max` distinct names get their own label (an app's operations are a fixed, small set); later ones share
 * `(other)`, anonymous ones `(anonymous)`.
 */
export class OperationNameLabels {
  private readonly known = new Set<string>();
  constructor(private readonly max: number) {}

  labelOf(name: string | null | undefined): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.known.has(name)) return name;
    if (this.known.size >= this.max) return OTHER_OPERATION;
    this.known.add(name);
    return name;
  }
}

/** `price:AAPL` → `price`: topics and cache keys are labelled by their namespace, a set fixed by the code. */
export function namespaceOf(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}

export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface MetricsOptions {
  /** Distinct operation names labelled before the rest share `(other)`. @default 100 */
  maxOperationNames?: number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/**
 * The app's Prometheus registry: one per app (tests run several apps in one process, and each must count only its
 * own). Metric names are listed in README's "Operating it"; dashboards depend on them, so rename with care.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly operationNames: OperationNameLabels;
  private readonly pools = new Map<string, () => PoolStats | undefined>();

  readonly operationDuration: Histogram<'operation_name' | 'operation_type' | 'transport'>;
  readonly errors: Counter<'code' | 'transport'>;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly websocketConnections: Gauge;
  readonly activeSubscriptions: Gauge<'field'>;
  readonly eventsPublished: Counter<'topic'>;
  readonly eventsDelivered: Counter<'topic'>;
  readonly slowConsumerDisconnects: Counter;
  readonly eventsDropped: Counter<'reason'>;
  readonly jobRuns: Counter<'job' | 'outcome'>;
  readonly jobDuration: Histogram<'job' | 'outcome'>;
  readonly cacheRequests: Counter<'cache' | 'result'>;
  readonly dbQueryDuration: Histogram<'database'>;
  readonly redisCommandErrors: Counter<'command'>;
  readonly rateLimitRejections: Counter;
  readonly tickStreamErrors: Counter;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.operationNames = new OperationNameLabels(options.maxOperationNames ?? 100);
    collectDefaultMetrics({ register: this.registry });
    this.operationDuration = new Histogram({
      name: 'marketgraph_graphql_operation_duration_seconds',
      help: 'GraphQL operations by name (bounded) and type, from request to response',
      labelNames: ['operation_name', 'operation_type', 'transport'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({ name: 'marketgraph_graphql_errors_total', help: 'GraphQL errors sent, by extensions.code', labelNames: ['code', 'transport'], registers });
    this.httpRequests = new Counter({ name: 'marketgraph_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers });
    this.websocketConnections = new Gauge({ name: 'marketgraph_websocket_connections', help: 'Open graphql-ws sockets', registers });
    this.activeSubscriptions = new Gauge({ name: 'marketgraph_active_subscriptions', help: 'Running subscriptions by root field', labelNames: ['field'], registers });
    this.eventsPublished = new Counter({ name: 'marketgraph_events_published_total', help: 'Events this process published on the bus, by topic namespace', labelNames: ['topic'], registers });
    this.eventsDelivered = new Counter({
      name: 'marketgraph_events_delivered_total',
      help: 'Events handed to this process\'s subscribers (once per subscriber), by topic namespace',
      labelNames: ['topic'],
      registers,
    });
    this.slowConsumerDisconnects = new Counter({
      name: 'marketgraph_slow_consumer_disconnects_total',
      help: 'Websockets closed because they stopped reading (their queued events were dropped)',
      registers,
    });
    this.eventsDropped = new Counter({
      name: 'marketgraph_events_dropped_total',
      help: 'Subscription events not delivered: queue_full (a subscription 1000 events behind), socket_buffer_full, socket_closed',
      labelNames: ['reason'],
      registers,
    });
    this.jobRuns = new Counter({ name: 'marketgraph_job_runs_total', help: 'Scheduled job ticks by outcome (ran, failed, still-running, locked-elsewhere)', labelNames: ['job', 'outcome'], registers });
    this.jobDuration = new Histogram({ name: 'marketgraph_job_duration_seconds', help: 'Job run time (ran or failed)', labelNames: ['job', 'outcome'], buckets: JOB_BUCKETS, registers });
    this.cacheRequests = new Counter({ name: 'marketgraph_cache_requests_total', help: 'Cache look-ups by key namespace and result (hit, miss)', labelNames: ['cache', 'result'], registers });
    this.dbQueryDuration = new Histogram({ name: 'marketgraph_db_query_duration_seconds', help: 'Prisma query time per database', labelNames: ['database'], buckets: DB_BUCKETS, registers });
    this.redisCommandErrors = new Counter({ name: 'marketgraph_redis_command_errors_total', help: 'Redis commands that failed (errors, time-outs, disconnected)', labelNames: ['command'], registers });
    this.rateLimitRejections = new Counter({ name: 'marketgraph_rate_limit_rejections_total', help: 'Operations refused by a request budget (HTTP and websocket)', registers });
    this.tickStreamErrors = new Counter({ name: 'marketgraph_tick_stream_errors_total', help: 'Ingest batches (or NATS connects) the tick stream failed to append; ingestion went on', registers });
    const pools = this.pools;
    new Gauge({
      name: 'marketgraph_db_pool_connections',
      help: 'PostgreSQL pool connections per database: in_use, idle, waiting (callers queued for one)',
      labelNames: ['database', 'state'],
      registers,
      collect() {
        this.reset();
        for (const [database, read] of pools) {
          const stats = read();
          if (!stats) continue;
          this.set({ database, state: 'in_use' }, stats.totalCount - stats.idleCount);
          this.set({ database, state: 'idle' }, stats.idleCount);
          this.set({ database, state: 'waiting' }, stats.waitingCount);
        }
      },
    });
  }

  /** Reports a database's pool at every scrape (PGlite has none: nothing is reported for it). */
  watchPool(database: string, read: () => PoolStats | undefined): void {
    this.pools.set(database, read);
  }

  /** A scheduler tick (Scheduler's TickObserver). */
  readonly observeJob = (job: string, outcome: string, ms?: number): void => {
    this.jobRuns.inc({ job, outcome });
    if (ms !== undefined) this.jobDuration.observe({ job, outcome }, ms / 1000);
  };

  /** The text exposition format, what GET /metrics answers. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
