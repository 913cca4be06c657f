import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded setup: no database URLs, no Redis, port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, dataDir: '.data', seedOnStart: true, introspection: true, redisKeyPrefix: 'mg:' });
    expect(config.stockDatabaseUrl ?? config.userDatabaseUrl ?? config.redisUrl).toBeUndefined();
  });

  it('reads real servers from their URLs', () => {
    const config = loadConfig({
      STOCK_DATABASE_URL: 'postgres://u:p@db:5433/stock',
      USER_DATABASE_URL: 'postgresql://u:p@db:5434/user',
      REDIS_URL: 'redis://cache:6379',
      PORT: '8080',
      SEED_ON_START: 'false',
    });
    expect(config).toMatchObject({ port: 8080, seedOnStart: false, redisUrl: 'redis://cache:6379' });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ STOCK_DATABASE_URL: '', PORT: '' }).port).toBe(4000);
  });

  it('turns introspection off by default in production', () => {
    const secret = { JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ NODE_ENV: 'production', ...secret }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', ...secret }).introspection).toBe(true);
  });

  it('serves the playground by default, except in production', () => {
    const secret = { JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}).playgroundEnabled).toBe(true);
    expect(loadConfig({ PLAYGROUND_ENABLED: 'false' }).playgroundEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ...secret }).playgroundEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PLAYGROUND_ENABLED: 'true', ...secret }).playgroundEnabled).toBe(true);
  });

  it('allows any browser origin in development and none in production unless listed', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).corsOrigins).toBe('');
  });

  it('keeps system and performance logs 30 days and errors and user actions 90 unless told otherwise', () => {
    expect(loadConfig({}).activity).toEqual({
      enabled: true,
      queueMax: 10_000,
      flushMs: 1_000,
      flushRows: 500,
      slowOperationMs: 1_000,
      retentionDays: { system: 30, performance: 30, error: 90, userAction: 90 },
    });
    expect(loadConfig({ ACTIVITY_RETENTION_ERROR_DAYS: '7', ACTIVITY_LOG_ENABLED: 'false' }).activity).toMatchObject({ enabled: false, retentionDays: { error: 7 } });
    expect(() => loadConfig({ ACTIVITY_QUEUE_MAX: '0' })).toThrow(/^Invalid environment variable ACTIVITY_QUEUE_MAX: /);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^Invalid environment variable JWT_SECRET: required when NODE_ENV=production/);
  });

  it.each([
    [{ CORS_ORIGINS: 'app.example.com' }, /^Invalid environment variable CORS_ORIGINS: expected \* or a comma-separated list/],
    [{ JWT_SECRET: 'short' }, /^Invalid environment variable JWT_SECRET: must be at least 32 characters/],
    [{ PORT: 'eighty' }, /^Invalid environment variable PORT: expected a port number \(got "eighty"\)$/],
    [{ PORT: '70000' }, /^Invalid environment variable PORT: /],
    [{ STOCK_DATABASE_URL: 'mysql://x@y/z' }, /^Invalid environment variable STOCK_DATABASE_URL: expected a postgres:\/\/ URL/],
    [{ REDIS_URL: 'localhost:6379' }, /^Invalid environment variable REDIS_URL: /],
    [{ SEED_ON_START: 'maybe' }, /^Invalid environment variable SEED_ON_START: expected true or false/],
    [{ NODE_ENV: 'staging' }, /^Invalid environment variable NODE_ENV: /],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
