import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GraphQL over HTTP (graphql-http serverAudits)', () => {
  it('passes every MUST and SHOULD audit; only optional GET forms stay refused, by CSRF prevention', async () => {
    const results = await Promise.all(serverAudits({ url: () => t.url, fetchFn: fetch }).map((audit) => audit.fn()));
    const problems = results.filter((r) => r.status === 'warn' || r.status === 'error').map((r) => `${r.status} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(problems).toEqual([]);
    // Apollo's csrfPrevention refuses a GET without a content-type or apollo-require-preflight header:
    // a browser can send those cross-site without a preflight.
    const notices = results.filter((r) => r.status === 'notice').map((r) => r.name);
    expect(notices.every((name) => name.includes('GET'))).toBe(true);
    expect(results.length).toBeGreaterThan(30);
  });
});
