import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Replies to one request; an unknown path gets a 404. */
export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface FakeNewsServer {
  url(path: string): string;
  /** Path and headers of every request, in order. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  routes: Map<string, Route>;
  close(): Promise<void>;
}

export const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export const reply =
  (status: number, body: string, headers: Record<string, string> = {}): Route =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

/** Answers 304 when the request carries the validators given, else the full body with them. */
export const conditional =
  (body: string, validators: { etag: string; lastModified: string }, contentType = 'application/rss+xml'): Route =>
  (req, res) => {
    if (req.headers['if-none-match'] === validators.etag) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': contentType, etag: validators.etag, 'last-modified': validators.lastModified });
    res.end(body);
  };

/** Responses in turn; the last one repeats. */
export const sequence = (...routes: Route[]): Route => {
  let call = 0;
  return (req, res) => routes[Math.min(call++, routes.length - 1)]!(req, res);
};

/** Never answers: the client must time out. */
export const hang: Route = () => undefined;

export async function startFakeNewsServer(): Promise<FakeNewsServer> {
  const routes = new Map<string, Route>();
  const requests: FakeNewsServer['requests'] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push({ path, headers: req.headers });
    const route = routes.get(path);
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    routes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
