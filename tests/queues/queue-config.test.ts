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

  it('sends whole scheduled jobs to the queue their name suggests', () => {
    expect(queueForJob('market-scan')).toBe('scanner');
    expect(queueForJob('news-ingest')).toBe('news');
    expect(queueForJob('sentiment-scoring')).toBe('sentiment');
    expect(queueForJob('model-training')).toBe('predictions');
    expect(queueForJob('fundamentals')).toBe('market-data');
    expect(queueForJob('portfolio-snapshots')).toBe('default');
  });
});
