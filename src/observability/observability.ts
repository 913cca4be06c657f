import type { MetricsConfig } from '../config.js';
import type { Logger } from '../log.js';
import { Metrics } from './metrics.js';
import { OperationObserver } from './operations.js';
import { createWebSocketObserver, type WebSocketObserver } from './websocket-observer.js';

/** The app's metrics registry and the observers that log and count operations; one per app. */
export interface Observability {
  readonly metrics: Metrics;
  /** Log line and metrics of one operation: call it from any path that answers /graphql without Apollo. */
  readonly operations: OperationObserver;
  readonly websocket: WebSocketObserver;
}

export function createObservability(config: Pick<MetricsConfig, 'maxOperationNames'>, logger: Logger): Observability {
  const metrics = new Metrics({ maxOperationNames: config.maxOperationNames });
  const operations = new OperationObserver(logger, metrics);
  return { metrics, operations, websocket: createWebSocketObserver(logger, metrics, operations) };
}

const ROUTES = new Set(['/graphql', '/metrics', '/livez', '/readyz', '/healthz']);
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);

/** The HTTP request counter's labels: paths and methods outside a fixed set share `other` (no label per URL). */
export function httpLabels(method: string | undefined, pathname: string, status: number) {
  return { route: ROUTES.has(pathname) ? pathname : 'other', method: method && METHODS.has(method) ? method : 'other', status: String(status) };
}
