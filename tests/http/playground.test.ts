import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the playground', () => {
  it('answers a browser at /graphql with the page and a self-only CSP, and serves its whitelisted assets', async () => {
    t = await startTestApp();
    const page = await fetch(t.url, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toMatch(/unsafe|https?:/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/playground\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(6);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of assets) {
      const answer = await fetch(new URL(asset, t.url));
      expect(answer.status, asset).toBe(200);
      expect(answer.headers.get('content-type'), asset).toMatch(/^text\/(javascript|css)/);
      expect((await answer.arrayBuffer()).byteLength, asset).toBeGreaterThan(50);
    }
  });

  it('leaves API requests to Apollo: a GET with a query, and JSON clients', async () => {
    t = await startTestApp();
    const get = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...HTML, 'apollo-require-preflight': 'true' } });
    expect(((await get.json()) as { data?: unknown }).data).toEqual({ __typename: 'Query' });
    const json = await fetch(t.url, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).not.toContain('text/html');
    expect((await t.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('serves nothing outside the whitelist, traversal included', async () => {
    t = await startTestApp();
    for (const path of [
      '/playground/assets/package.json',
      '/playground/assets/../../package.json',
      '/playground/assets/..%2F..%2Fpackage.json',
      '/playground/assets/%2e%2e/%2e%2e/package.json',
      '/playground/assets/constructor',
      '/playground/assets/',
      '/playground/assets/graphiql.min.js/x',
    ]) {
      expect(await rawGet(t.url, path), path).toBe(404);
    }
    expect((await fetch(new URL('/playground/assets/graphiql.min.js', t.url), { method: 'POST' })).status).toBe(404);
  });

  it('is off with PLAYGROUND_ENABLED=false: a browser gets Apollo’s own answer', async () => {
    t = await startTestApp({ env: { PLAYGROUND_ENABLED: 'false' } });
    const page = await fetch(t.url, { headers: HTML });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBeNull();
    expect((await fetch(new URL('/playground/assets/graphiql.min.js', t.url))).status).toBe(404);
  });
});
