import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkHandler } from '../../src/queues/job-queues.js';
import { testRedisUrl } from '../support/servers.js';
import { countsOf, queueFactory, until, type QueueFactory } from './queue-support.js';

const run = promisify(execFile);
const redisUrl = testRedisUrl();

describe.skipIf(!redisUrl)('npm run jobs (needs a real Redis: set TEST_REDIS_URL)', () => {
  let factory: QueueFactory;
  afterAll(async () => factory?.cleanUp());

  async function jobs(...args: string[]): Promise<{ code: number; out: string }> {
    const env = { PATH: process.env.PATH!, NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: factory.redisKeyPrefix };
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/jobs.ts', ...args], { env });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  }

  it('lists a job that failed on every attempt with its error and attempts, and retry puts it back to waiting', async () => {
    factory = queueFactory('bullmq', redisUrl);
    const broken: WorkHandler = { name: 'news-refresh', queue: 'news', run: async () => Promise.reject(new Error('feed returned 503')) };
    const consumer = factory.make([broken]);
    consumer.consume(['news']);
    await consumer.add([{ queue: 'news', name: 'news-refresh', data: {} }]);
    await until('the job to fail for good', async () => (await countsOf(consumer, 'news')).failed === 1);
    const [failed] = await consumer.failed('news');
    await consumer.close();

    const listed = await jobs('failed', '--queue', 'news');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${failed!.id}  news/news-refresh  attempts=3`);
    expect(listed.out).toContain('feed returned 503');

    const retried = await jobs('retry', failed!.id);
    expect(retried).toMatchObject({ code: 0, out: expect.stringContaining(`job ${failed!.id} is waiting again`) });
    const reader = factory.make([]);
    expect(await countsOf(reader, 'news')).toMatchObject({ waiting: 1, failed: 0 });
    expect(await jobs('retry', failed!.id)).toMatchObject({ code: 1, out: expect.stringContaining('no failed job with id') });
  }, 60_000);
});
