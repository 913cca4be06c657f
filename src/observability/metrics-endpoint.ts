import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

export interface MetricsAccess {
  /** Bearer token required on the API port. @default none */
  token?: string;
  /** Whether the API port's /metrics answers without a token (development, test). */
  openWithoutToken: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison: the token must not leak through response timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return !!match && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

async function sendMetrics(res: ServerResponse, metrics: Metrics): Promise<void> {
  const { contentType, body } = await metrics.render();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/** GET /metrics on the API port: open, or behind METRICS_TOKEN; production without a token refuses (403). */
export function createMetricsRoute(metrics: Metrics, access: MetricsAccess) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (access.token ? !bearerMatches(req.headers.authorization, access.token) : !access.openWithoutToken) {
      res.writeHead(access.token ? 401 : 403, { 'content-type': 'text/plain; charset=utf-8', ...(access.token ? { 'www-authenticate': 'Bearer' } : {}) });
      res.end(access.token ? 'Send METRICS_TOKEN as a bearer token\n' : 'Metrics are off on the API port in production: set METRICS_TOKEN or METRICS_PORT\n');
      return;
    }
    await sendMetrics(res, metrics);
  };
}

/** METRICS_PORT: a second listener that serves /metrics only, without a token (keep the port off the internet). */
export function createMetricsServer(metrics: Metrics): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Only GET /metrics here\n');
      return;
    }
    sendMetrics(res, metrics).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
}
