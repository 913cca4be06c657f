import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('answers /readyz 200 with nothing down when every component is up or embedded, and /livez 200', async () => {
  const ready = await fetch(t.url.replace('/graphql', '/readyz'));
  expect(ready.status).toBe(200);
  const body = (await ready.json()) as { status: string; down: string[]; components: Record<string, { state: string }> };
  expect(body.status).toBe('ok');
  expect(body.down).toEqual([]);
  expect(Object.keys(body.components).sort()).toEqual(['eventBus', 'indicatorWarmUp', 'redis', 'stockDb', 'stockMigrations', 'userDb', 'userMigrations']);
  expect((await fetch(t.url.replace('/graphql', '/livez'))).status).toBe(200);
});
