import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Replies to one request; the default ends with a 404 page. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface FakeYahoo {
  baseUrl: string;
  /** Path and query of every request received, in order. */
  requests: string[];
  /** Handlers by Yahoo symbol (the last path segment); QUOTE_ROUTE for the quote endpoint. */
  routes: Map<string, Route>;
  close(): Promise<void>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Responses in turn; the last one repeats. */
export const sequence = (...routes: Route[]): Route => {
  let call = 0;
  return (req, res, url) => routes[Math.min(call++, routes.length - 1)]!(req, res, url);
};

/** Never answers (the client must time out). */
export const hang: Route = () => undefined;

const SESSION_OPEN = 14 * 3600 + 30 * 60;

/** A chart response in Yahoo's format: daily bars at 09:30 New York (14:30 UTC in winter). */
export function chart(symbol: string, days: string[], bars: (number | null)[][], meta: Record<string, unknown> = {}) {
  const timestamp = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000 + SESSION_OPEN);
  const column = (i: number) => bars.map((b) => b[i] ?? null);
  return {
    chart: {
      result: [
        {
          meta: { currency: 'USD', symbol, exchangeName: 'NMS', gmtoffset: -18000, timezone: 'EST', ...meta },
          timestamp,
          indicators: {
            quote: [{ open: column(0), high: column(1), low: column(2), close: column(3), volume: column(4) }],
            adjclose: [{ adjclose: column(5) }],
          },
        },
      ],
      error: null,
    },
  };
}

/** Key in FakeYahoo.routes of the handler for GET /v7/finance/quote. */
export const QUOTE_ROUTE = '/v7/finance/quote';

export const NOT_FOUND_BODY = { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } };

export async function startFakeYahoo(): Promise<FakeYahoo> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const match = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    const route = match ? routes.get(decodeURIComponent(match[1]!)) : url.pathname === '/v7/finance/quote' ? routes.get(QUOTE_ROUTE) : undefined;
    if (route) return route(req, res, url);
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>Not Found</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    routes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

