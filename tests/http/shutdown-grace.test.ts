import { afterAll, expect, it } from 'vitest';
import type { Job } from '../../src/jobs/scheduler.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterAll(() => t?.close());

it('closes although a scheduled run never ends: the drain and every later wait share one SHUTDOWN_GRACE_MS', async () => {
  t = await startTestApp({ env: { SHUTDOWN_GRACE_MS: '300' } });
  let started = false;
  // A start-up run that outlives any grace (model training on a fresh install takes a minute).
  const never: Job = { name: 'never-ends', cron: '0 0 1 1 *', lockTtlMs: 60_000, run: () => ((started = true), new Promise(() => undefined)) };
  const running = t.app.scheduler.tick(never);
  while (!started) await new Promise((resolve) => setTimeout(resolve, 5));
  // Before the shared grace, the scheduler's own cleanup waited for this run without bound: close() never returned.
  const closed = await Promise.race([t.app.close().then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still closing'), 10_000))]);
  expect(closed).toBe('closed');
  void running;
  t = undefined;
});
