import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GET /healthz', () => {
  it('answers 200 with the state of both databases and of Redis', async () => {
    const response = await fetch(new URL('/healthz', t.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      components: {
        stockDb: { state: 'up' },
        userDb: { state: 'up' },
        redis: { state: t.app.config.redisUrl ? 'up' : 'embedded' },
      },
    });
  });

  it('answers 404 with a pointer to /graphql for any other path', async () => {
    const response = await fetch(new URL('/nope', t.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'Nothing at /nope; the API is at /graphql' });
  });
});
