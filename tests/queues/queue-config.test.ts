import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { parseConcurrency, parseQueueList, queueForJob, queuePrefixFor, QUEUE_NAMES } from '../../src/queues/queue-names.js';
import { workerQueues } from '../../src/queues/worker-args.js';

describe('queue configuration', () => {
  it('reads QUEUE_CONCURRENCY over the defaults and refuses unknown queues and bad numbers', () => {
    const config = loadConfig({ NODE_ENV: 'test', QUEUE_CONCURRENCY: 'market-data:4, indicators:2' });
    expect(config.queues.concurrency).toMatchObject({ 'market-data': 4, indicators: 2, 'order-matching': 1 });
    expect(() => loadConfig({ NODE_ENV: 'test', QUEUE_CONCURRENCY: 'marketdata:4' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', QUEUE_CONCURRENCY: 'market-data:0' })).toThrow(/1-100/);
    expect(() => parseConcurrency('market-data=4')).toThrow(/queue:number/);
  });

  it('gives every queue key one Redis Cluster hash tag derived from REDIS_KEY_PREFIX', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).queues.prefix).toBe('{mg:queues}');
    expect(queuePrefixFor('mgtest:ab12:')).toBe('{mgtest:ab12:queues}');
  });

  it('parses the worker’s --queues flag in both spellings, defaulting to every queue', () => {
    expect(workerQueues([])).toEqual([...QUEUE_NAMES]);
    expect(workerQueues(['--queues', 'market-data,indicators'])).toEqual(['market-data', 'indicators']);
    expect(workerQueues(['--queues=news'])).toEqual(['news']);
    expect(() => workerQueues(['--queues'])).toThrow(/comma-separated/);
    expect(() => workerQueues(['--queues', 'nope'])).toThrow(/unknown queue "nope"/);
    expect(() => workerQueues(['--once'])).toThrow(/unknown argument/);
    expect(parseQueueList('news,news')).toEqual(['news']);
  });

  it('refuses to start a worker with an unknown queue, saying which', async () => {
    const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/worker.ts', '--queues', 'market-data,nope'], { env: { PATH: process.env.PATH!, NODE_ENV: 'test', LOG_LEVEL: 'silent' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('unknown queue "nope"');
  }, 30_000);

  it('sends whole scheduled jobs to the queue their name suggests', () => {
    expect(queueForJob('market-scan')).toBe('scanner');
    expect(queueForJob('news-ingest')).toBe('news');
    expect(queueForJob('sentiment-scoring')).toBe('sentiment');
    expect(queueForJob('model-training')).toBe('predictions');
    expect(queueForJob('fundamentals')).toBe('market-data');
    expect(queueForJob('portfolio-snapshots')).toBe('default');
  });
});
