import { afterEach, describe, expect, it } from 'vitest';
import type { WorkHandler } from '../../src/queues/job-queues.js';
import { testRedisUrl } from '../support/servers.js';
import { countsOf, queueFactory, until, type Backend, type QueueFactory } from './queue-support.js';

const redisUrl = testRedisUrl();
if (!redisUrl) console.warn('job-queues.test: the BullMQ half needs a real Redis (TEST_REDIS_URL); only the in-process queues run');
const backends: Backend[] = redisUrl ? ['in-process', 'bullmq'] : ['in-process'];

describe.each(backends)('job queues (%s)', (backend) => {
  let factory: QueueFactory;
  afterEach(async () => factory?.cleanUp());

  it('retries a job that fails twice with growing backoff, and it completes on the third attempt', async () => {
    factory = queueFactory(backend, redisUrl);
    const attempts: { attempt: number; at: number }[] = [];
    const flaky: WorkHandler = {
      name: 'flaky',
      queue: 'default',
      async run(_data, context) {
        attempts.push({ attempt: context.attempt, at: Date.now() });
        if (attempts.length < 3) throw new Error(`failure ${attempts.length}`);
        return 'done';
      },
    };
    const backoffMs = 100;
    const queues = factory.make([flaky], { backoffMs });
    queues.consume(['default']);
    await queues.add([{ queue: 'default', name: 'flaky', data: {} }]);
    await until('the job to complete', async () => (await countsOf(queues, 'default')).completed === 1);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Exponential: at least the backoff after the first failure, at least twice it after the second (lower bounds,
    // which load only lengthens; 5 ms of slack for a timer that fires a millisecond early by Date.now()).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(backoffMs - 5);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2 * backoffMs - 5);
    expect(await countsOf(queues, 'default')).toMatchObject({ failed: 0, waiting: 0, delayed: 0, active: 0 });
    expect(await queues.failed()).toEqual([]);
  });

  it('puts a job that always fails among the failed ones with its attempts and error, and retry runs it again', async () => {
    factory = queueFactory(backend, redisUrl);
    let runs = 0;
    const broken: WorkHandler = {
      name: 'broken',
      queue: 'news',
      run: async () => {
        runs++;
        throw new Error('feed unreachable');
      },
    };
    const queues = factory.make([broken]);
    queues.consume(['news']);
    await queues.add([{ queue: 'news', name: 'broken', data: {} }]);
    await until('the job to fail for good', async () => (await countsOf(queues, 'news')).failed === 1);
    expect(runs).toBe(3);
    const [failed, ...others] = await queues.failed('news');
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ queue: 'news', name: 'broken', attempts: 3, error: expect.stringContaining('feed unreachable') });
    expect(await queues.failed('scanner')).toEqual([]);
    expect(await queues.retry(failed!.id)).toBe(true);
    await until('the retried job to fail again', async () => runs === 6 && (await countsOf(queues, 'news')).failed === 1);
    expect(await queues.retry('no-such-job')).toBe(false);
  });

  it('lets a consumer restricted to one queue leave another queue’s jobs waiting', async () => {
    factory = queueFactory(backend, redisUrl);
    const ran: string[] = [];
    const handlers: WorkHandler[] = [
      { name: 'refresh', queue: 'indicators', run: async () => void ran.push('indicators') },
      { name: 'ingest', queue: 'market-data', run: async () => void ran.push('market-data') },
    ];
    const indicatorsOnly = factory.make(handlers);
    indicatorsOnly.consume(['indicators']);
    expect(indicatorsOnly.consuming()).toEqual(['indicators']);
    await indicatorsOnly.add([
      { queue: 'market-data', name: 'ingest', data: {} },
      { queue: 'indicators', name: 'refresh', data: {} },
    ]);
    await until('the indicators job', () => ran.includes('indicators'));
    // A second job on the consumed queue, after the other one: once it ran, the market-data job had every chance.
    await indicatorsOnly.add([{ queue: 'indicators', name: 'refresh', data: {} }]);
    await until('the second indicators job', async () => (await countsOf(indicatorsOnly, 'indicators')).completed === 2);
    expect(ran).toEqual(['indicators', 'indicators']);
    expect(await countsOf(indicatorsOnly, 'market-data')).toMatchObject({ waiting: 1, active: 0, completed: 0 });
    indicatorsOnly.consume(['market-data']);
    await until('the market-data job once its queue is consumed', () => ran.includes('market-data'));
  });

  it('fails a run that outlives the job timeout and aborts its signal', async () => {
    factory = queueFactory(backend, redisUrl);
    let aborted = 0;
    const stuck: WorkHandler = {
      name: 'stuck',
      queue: 'predictions',
      run: (_data, context) => new Promise((resolve) => context.signal.addEventListener('abort', () => (aborted++, resolve(undefined)))),
    };
    const queues = factory.make([stuck], { timeoutMs: 150, attempts: 1 });
    queues.consume(['predictions']);
    await queues.add([{ queue: 'predictions', name: 'stuck', data: {} }]);
    await until('the timed-out job to fail', async () => (await countsOf(queues, 'predictions')).failed === 1);
    expect(aborted).toBe(1);
    const [failed] = await queues.failed('predictions');
    expect(failed!.error).toContain('predictions/stuck took longer than 150 ms');
  });

  it('adds nothing for a dedupe key whose job is still pending, and takes it again once that job is done', async () => {
    factory = queueFactory(backend, redisUrl);
    const runs: number[] = [];
    const queues = factory.make([{ name: 'refresh', queue: 'indicators', run: async (data: { n: number }) => void runs.push(data.n) }]);
    const refresh = (n: number) => ({ queue: 'indicators' as const, name: 'refresh', data: { n }, dedupeKey: 'indicators-AAPL-MSFT' });
    await queues.add([refresh(1)]);
    await queues.add([refresh(2), { ...refresh(3), dedupeKey: 'indicators-NVDA-XOM' }]);
    expect(await countsOf(queues, 'indicators')).toMatchObject({ waiting: 2 });
    queues.consume(['indicators']);
    await until('both pending jobs to complete', async () => (await countsOf(queues, 'indicators')).completed === 2);
    expect(runs.sort()).toEqual([1, 3]);
    await queues.add([refresh(4)]);
    await until('the same key once its job completed', () => runs.length === 3);
    expect(runs).toContain(4);
  });

  it('runs follow-up work a handler enqueues on the queue it names', async () => {
    factory = queueFactory(backend, redisUrl);
    const matched: string[][] = [];
    const handlers: WorkHandler[] = [
      { name: 'ingest', queue: 'market-data', run: (data: { symbols: string[] }, context) => context.enqueue([{ queue: 'order-matching', name: 'match', data }]) },
      { name: 'match', queue: 'order-matching', run: async (data: { symbols: string[] }) => void matched.push(data.symbols) },
    ];
    const queues = factory.make(handlers);
    queues.consume(['market-data', 'order-matching']);
    await queues.add([{ queue: 'market-data', name: 'ingest', data: { symbols: ['AAPL', 'MSFT'] } }]);
    await until('the follow-up', () => matched.length === 1);
    expect(matched).toEqual([['AAPL', 'MSFT']]);
  });
});

describe.skipIf(!redisUrl)('two consumers on one Redis (needs a real Redis: set TEST_REDIS_URL)', () => {
  let factory: QueueFactory;
  afterEach(async () => factory?.cleanUp());

  it('take every job exactly once between them', async () => {
    factory = queueFactory('bullmq', redisUrl);
    const JOBS = 300;
    const executions = new Map<number, number>();
    const byConsumer = [0, 0];
    // Barrier: no job finishes until both consumers are running one, so both really compete for the queue.
    let started = [false, false];
    let openBarrier!: () => void;
    const barrier = new Promise<void>((resolve) => (openBarrier = resolve));
    const handler = (consumer: 0 | 1): WorkHandler => ({
      name: 'count',
      queue: 'market-data',
      async run(data: { n: number }) {
        started[consumer] = true;
        if (started[0] && started[1]) openBarrier();
        await Promise.race([barrier, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        executions.set(data.n, (executions.get(data.n) ?? 0) + 1);
        byConsumer[consumer]!++;
      },
    });
    const first = factory.make([handler(0)]);
    const second = factory.make([handler(1)]);
    await first.add(Array.from({ length: JOBS }, (_, n) => ({ queue: 'market-data' as const, name: 'count', data: { n } })));
    first.consume(['market-data']);
    second.consume(['market-data']);
    await until('every job to complete', async () => (await countsOf(first, 'market-data')).completed === JOBS, 20_000);
    expect(executions.size).toBe(JOBS);
    expect([...executions.values()].every((count) => count === 1)).toBe(true);
    expect(byConsumer[0]! + byConsumer[1]!).toBe(JOBS);
    expect(byConsumer[0]).toBeGreaterThan(0);
    expect(byConsumer[1]).toBeGreaterThan(0);
    started = [true, true];
  });
});
