import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryJobLock, RedisJobLock, type JobLock } from '../../src/jobs/job-lock.js';
import { everySeconds, Scheduler, type Job } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import { connectRedis } from '../../src/redis.js';
import { testRedisUrl } from '../support/servers.js';

const logger = createLogger('silent');
const redisUrl = testRedisUrl();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function job(run: () => Promise<unknown>, name = 'test'): Job {
  return { name, cron: '* * * * *', lockTtlMs: 10_000, run };
}

describe('Scheduler.tick', () => {
  it('does not start a job again while its previous run is still going', async () => {
    const scheduler = new Scheduler(new MemoryJobLock(), logger);
    let finish = () => undefined as void;
    let runs = 0;
    const slow = job(() => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = scheduler.tick(slow);
    expect(await scheduler.tick(slow)).toBe('still-running');
    while (runs === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await scheduler.tick(slow)).toBe('still-running');
    finish();
    expect(await first).toBe('ran');
    expect(runs).toBe(1);
  });

  it('logs a failing run and keeps running later ticks', async () => {
    const scheduler = new Scheduler(new MemoryJobLock(), logger);
    let calls = 0;
    const flaky = job(async () => {
      calls += 1;
      if (calls === 1) throw new Error('provider down');
    });
    expect(await scheduler.tick(flaky)).toBe('failed');
    expect(await scheduler.tick(flaky)).toBe('ran');
  });

  it('writes cron expressions for every N seconds', () => {
    expect(everySeconds(1)).toBe('*/1 * * * * *');
    expect(everySeconds(15)).toBe('*/15 * * * * *');
    expect(everySeconds(300)).toBe('0 */5 * * * *');
  });
});

describe.skipIf(!redisUrl)('RedisJobLock (needs a real Redis: set TEST_REDIS_URL)', () => {
  async function lock(prefix: string): Promise<JobLock> {
    const redis = await connectRedis(redisUrl!, 'test-lock');
    cleanups.push(() => redis.disconnect());
    return new RedisJobLock(redis, prefix);
  }

  it('runs each tick in exactly one of several processes sharing one Redis', async () => {
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:lock:`;
    const processes = await Promise.all(Array.from({ length: 4 }, async () => new Scheduler(await lock(prefix), logger)));
    let runs = 0;
    const shared = job(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const outcomes = await Promise.all(processes.map((scheduler) => scheduler.tick(shared)));
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'locked-elsewhere')).toHaveLength(3);
    expect(runs).toBe(1);
    // Released after the run: the next tick can run again.
    expect(await processes[1]!.tick(shared)).toBe('ran');
  });

  it('runs a scheduled tick once even when the processes fire it one after another, after the first run ended', async () => {
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:lock:`;
    const processes = await Promise.all(Array.from({ length: 3 }, async () => new Scheduler(await lock(prefix), logger)));
    let runs = 0;
    const quick = job(async () => void (runs += 1));
    // Many rounds of one cron second each, fired by the three processes in turn (their timers a few ms apart):
    // the run lock is free again between them, only the tick claim stops the later ones.
    for (let round = 0; round < 20; round += 1) {
      const second = new Date(Date.UTC(2026, 0, 5, 15, 0, round));
      const outcomes = [];
      for (const scheduler of processes) outcomes.push(await scheduler.tick(quick, second));
      expect(outcomes).toEqual(['ran', 'locked-elsewhere', 'locked-elsewhere']);
    }
    expect(runs).toBe(20);
    // A start-up run (no scheduled time) is not a tick: only the run lock applies.
    expect(await processes[2]!.tick(quick)).toBe('ran');
  });

  it('does not let an expired holder release the next holder’s lock', async () => {
    const l = await lock(`mgtest:${randomBytes(4).toString('hex')}:lock:`);
    const stale = await l.tryAcquire('j', 30);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const fresh = await l.tryAcquire('j', 10_000);
    expect(fresh).not.toBeNull();
    await stale!();
    expect(await l.tryAcquire('j', 10_000)).toBeNull();
    await fresh!();
  });
});
