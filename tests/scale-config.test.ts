import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('tick stream and read replica configuration', () => {
  it('appends ticks to Redis by default when REDIS_URL is set, and to nothing without it', () => {
    const withRedis = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: 'desk:' });
    expect(withRedis.tickStream).toMatchObject({ mode: 'redis', redisKey: 'desk:ticks', maxLen: 100_000, natsStream: 'TICKS_desk', natsSubjectPrefix: 'ticks' });
    expect(loadConfig({}).tickStream.mode).toBe('off');
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', TICK_STREAM: 'off' }).tickStream.mode).toBe('off');
  });

  it('takes NATS with its URL and a cap, and refuses a stream whose server is not configured', () => {
    const nats = loadConfig({ TICK_STREAM: 'nats', NATS_URL: 'nats://127.0.0.1:4222', TICK_STREAM_MAXLEN: '500' });
    expect(nats.tickStream).toMatchObject({ mode: 'nats', natsUrl: 'nats://127.0.0.1:4222', maxLen: 500, natsStream: 'TICKS_mg' });
    expect(() => loadConfig({ TICK_STREAM: 'nats' })).toThrow(ConfigError);
    expect(() => loadConfig({ TICK_STREAM: 'redis' })).toThrow(/TICK_STREAM: redis needs REDIS_URL/);
    expect(() => loadConfig({ TICK_STREAM: 'kafka' })).toThrow(/expected off, redis or nats/);
  });

  it('splits STOCK_DATABASE_REPLICA_URLS on commas and refuses anything but postgres URLs', () => {
    expect(loadConfig({}).stockDatabaseReplicaUrls).toEqual([]);
    expect(loadConfig({ STOCK_DATABASE_REPLICA_URLS: 'postgres://a@r1/stock, postgres://a@r2:5433/stock' }).stockDatabaseReplicaUrls).toEqual([
      'postgres://a@r1/stock',
      'postgres://a@r2:5433/stock',
    ]);
    expect(() => loadConfig({ STOCK_DATABASE_REPLICA_URLS: 'postgres://a@r1/stock,mysql://r2/stock' })).toThrow(/STOCK_DATABASE_REPLICA_URLS/);
  });
});
