import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { computeHistories, type HistoryTask } from '../../src/modules/indicator/engine/history.js';
import { WorkerPool } from '../../src/workers/pool.js';
import { createIndicatorCompute } from '../../src/workers/indicator-pool.js';
import { randomCandles } from '../modules/indicator/fixtures/random-candles.js';

type Task = { kind: 'echo' | 'fail' | 'exit'; value?: number };
const pool = new WorkerPool<Task, { threadId: number; value: number }>(new URL('./fixtures/test-worker.ts', import.meta.url), 2);
afterAll(() => pool.close());

describe('WorkerPool', () => {
  it('runs TypeScript tasks in at most `size` worker threads, none of them this one', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, value) => pool.run({ kind: 'echo', value })));
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const threads = new Set(results.map((r) => r.threadId));
    expect(threads.has(threadId)).toBe(false);
    expect(threads.size).toBeLessThanOrEqual(2);
    expect(pool.started).toBeLessThanOrEqual(2);
  });

  it('rejects a failed task and keeps serving', async () => {
    await expect(pool.run({ kind: 'fail', value: 7 })).rejects.toThrow('failed on 7');
    expect((await pool.run({ kind: 'echo', value: 8 })).value).toBe(8);
  });

  it('rejects the task of a worker that dies, and replaces the worker for the next task', async () => {
    await expect(pool.run({ kind: 'exit' })).rejects.toThrow('worker exited with code 3');
    expect((await pool.run({ kind: 'echo', value: 9 })).value).toBe(9);
  });
});

describe('the indicator compute', () => {
  it('gives the same points and states in a worker thread as on the main thread', async () => {
    const tasks: HistoryTask[] = ['A', 'B'].map((symbol, i) => {
      const candles = randomCandles(250, 11 + i);
      return {
        symbol,
        ts: candles.map((c) => new Date(c.timestamp).getTime()),
        high: candles.map((c) => c.high),
        low: candles.map((c) => c.low),
        close: candles.map((c) => c.close),
        volume: candles.map((c) => c.volume),
        writeFrom: Number.NEGATIVE_INFINITY,
      };
    });
    const threaded = createIndicatorCompute(1);
    try {
      expect(await threaded.run(tasks)).toEqual(computeHistories(tasks));
    } finally {
      await threaded.close();
    }
  });
});
