import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

describe('CORS', () => {
  it('lets a listed origin call the API from a browser, preflight included', async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'http://localhost:5173, https://app.example.com' } });
    const answer = await preflight(t.url, 'https://app.example.com');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
    const post = await fetch(t.url, { method: 'POST', headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(post.headers.get('vary')).toContain('Origin');
  });

  it('lets a browser send Apollo Client client-awareness headers and trace context', async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://app.example.com' } });
    const wanted = ['apollographql-client-name', 'apollographql-client-version', 'traceparent', 'tracestate'];
    const answer = await fetch(t.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': ['content-type', ...wanted].join(', ') },
    });
    expect(answer.status).toBe(204);
    const allowed = answer.headers.get('access-control-allow-headers')!.split(',').map((header) => header.trim());
    expect(allowed).toEqual(expect.arrayContaining(['content-type', ...wanted]));
    const post = await fetch(t.url, {
      method: 'POST',
      headers: {
        origin: 'https://app.example.com',
        'content-type': 'application/json',
        'apollographql-client-name': 'web',
        'apollographql-client-version': '1.0.0',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
      body: '{"query":"{ __typename }"}',
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('gives an unlisted origin no CORS headers, so the browser blocks it', async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://app.example.com' } });
    const answer = await preflight(t.url, 'https://evil.example.com');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows any origin with *', async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: '*' } });
    expect((await preflight(t.url, 'https://anything.example')).headers.get('access-control-allow-origin')).toBe('*');
  });
});
