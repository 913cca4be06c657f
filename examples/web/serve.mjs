// Serves the built example (dist/) with node:http and tells the app where the API is.
//   API_URL=http://localhost:4000/graphql PORT=5173 HOST=127.0.0.1 node examples/web/serve.mjs
// GET /config.js answers `window.__MARKETGRAPH_CONFIG__ = { apiUrl }`; any other path without a
// file extension gets index.html (the app routes by #hash, so that is only a convenience).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * @param {{ dir?: string, port?: number, host?: string, apiUrl?: string }} [options]
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startStaticServer(options = {}) {
  const dir = resolve(options.dir ?? fileURLToPath(new URL('./dist/', import.meta.url)));
  const apiUrl = options.apiUrl ?? 'http://localhost:4000/graphql';
  const config = `window.__MARKETGRAPH_CONFIG__ = ${JSON.stringify({ apiUrl })};\n`;

  const server = createServer(async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      if (path === '/config.js') {
        response.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' }).end(config);
        return;
      }
      let file = normalize(join(dir, path));
      if (file !== dir && !file.startsWith(dir + sep)) {
        response.writeHead(403).end();
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info && !extname(path)) {
        file = join(dir, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        // Vite fingerprints everything under assets/; index.html must always be fresh.
        'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    } catch {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    }
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 5173, host, () => done(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const apiUrl = process.env.API_URL ?? 'http://localhost:4000/graphql';
  const { url } = await startStaticServer({
    port: Number(process.env.PORT ?? 5173),
    host: process.env.HOST ?? '127.0.0.1',
    apiUrl,
  });
  console.log(`marketgraph web example on ${url} (API ${apiUrl})`);
}
