import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The offline GraphQL playground: GraphiQL served from installed npm packages
 * (graphiql, react, react-dom UMD builds), never from a CDN. A browser GET of
 * /graphql asking for text/html gets the page; its scripts and styles come from
 * /playground/assets/<name>, where <name> must be a key of the whitelist below
 * (nothing from the URL ever reaches the file system).
 */

export const PLAYGROUND_ASSET_PREFIX = '/playground/assets/';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

interface Asset {
  contentType: string;
  /** A file under node_modules, or the text itself for the page's own files. */
  file?: string;
  text?: string;
}

/** Sizes the editor to the window (a file of its own: the CSP allows no inline style). */
const PLAYGROUND_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
`;

/**
 * Starts GraphiQL (a file of its own: the CSP allows no inline script). Queries and
 * mutations POST to /graphql; subscriptions stream over graphql-ws on the same path,
 * ws:// or wss:// like the page. GraphiQL sends the headers editor's JSON as the
 * websocket's connectionParams, where the server reads Authorization.
 */
const PLAYGROUND_JS = `(function () {
  'use strict';
  var origin = window.location.origin;
  var wsOrigin = origin.replace(/^http/, 'ws');
  var fetcher = GraphiQL.createFetcher({ url: origin + '/graphql', subscriptionUrl: wsOrigin + '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, isHeadersEditorEnabled: true }));
})();
`;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Every file the playground may serve: name in the URL -> where it comes from. */
function whitelist(): ReadonlyMap<string, Asset> {
  const graphiql = packageDir('graphiql');
  const react = packageDir('react');
  const reactDom = packageDir('react-dom');
  return new Map<string, Asset>([
    ['react.production.min.js', { contentType: JS, file: join(react, 'umd/react.production.min.js') }],
    ['react-dom.production.min.js', { contentType: JS, file: join(reactDom, 'umd/react-dom.production.min.js') }],
    // graphiql's UMD bundle includes the graphql-ws client it uses for subscriptionUrl.
    ['graphiql.min.js', { contentType: JS, file: join(graphiql, 'graphiql.min.js') }],
    // graphiql.min.js names its source map index.umd.js.map (browsers fetch it only with devtools open).
    ['index.umd.js.map', { contentType: 'application/json; charset=utf-8', file: join(graphiql, 'graphiql.min.js.map') }],
    ['graphiql.min.css', { contentType: CSS, file: join(graphiql, 'graphiql.min.css') }],
    ['playground.css', { contentType: CSS, text: PLAYGROUND_CSS }],
    ['playground.js', { contentType: JS, text: PLAYGROUND_JS }],
  ]);
}

const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>marketgraph playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${PLAYGROUND_ASSET_PREFIX}graphiql.min.css">
<link rel="stylesheet" href="${PLAYGROUND_ASSET_PREFIX}playground.css">
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<script src="${PLAYGROUND_ASSET_PREFIX}react.production.min.js"></script>
<script src="${PLAYGROUND_ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${PLAYGROUND_ASSET_PREFIX}graphiql.min.js"></script>
<script src="${PLAYGROUND_ASSET_PREFIX}playground.js"></script>
</body>
</html>
`;

/**
 * Only this origin's scripts, styles and connections (ws:// to the same host counts
 * as 'self'). data: is allowed for fonts and images alone: graphiql.min.css embeds
 * its fonts and a few icons as data: URIs.
 */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A browser navigating to /graphql: GET (or HEAD), HTML accepted, and no query to run. */
export function wantsPlayground(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.searchParams.has('query')) return false;
  return (req.headers.accept ?? '').toLowerCase().includes('text/html');
}

interface Loaded {
  body: Buffer;
  etag: string;
  contentType: string;
}

export function createPlaygroundHandler() {
  const assets = whitelist();
  const loaded = new Map<string, Promise<Loaded>>();
  const load = (name: string, asset: Asset): Promise<Loaded> => {
    let entry = loaded.get(name);
    if (!entry) {
      entry = (async () => {
        const body = asset.text !== undefined ? Buffer.from(asset.text) : await readFile(asset.file!);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        return { body, etag, contentType: asset.contentType };
      })();
      entry.catch(() => loaded.delete(name));
      loaded.set(name, entry);
    }
    return entry;
  };

  /** Answers the request when it is the playground's; false leaves it to the rest of the router. */
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === '/graphql') {
      if (!wantsPlayground(req, url)) return false;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PLAYGROUND_CSP,
        'cache-control': 'no-cache',
        vary: 'accept',
        ...SECURITY_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : PLAYGROUND_HTML);
      return true;
    }
    if (!url.pathname.startsWith(PLAYGROUND_ASSET_PREFIX)) return false;
    const name = url.pathname.slice(PLAYGROUND_ASSET_PREFIX.length);
    const asset = assets.get(name); // a Map: no prototype keys, no paths
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
      res.end(JSON.stringify({ error: `Nothing at ${url.pathname}` }));
      return true;
    }
    const file = await load(name, asset);
    const headers = { 'content-type': file.contentType, etag: file.etag, 'cache-control': 'no-cache', ...SECURITY_HEADERS };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
