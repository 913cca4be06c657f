/**
 * Whether the suite runs against real servers. Under CI=true every server must
 * be given: a missing URL is a failure, never a silent skip.
 */
export const inCi = process.env.CI === 'true';

export function requireServer(kind: 'postgres' | 'redis', given: boolean): void {
  if (!given && inCi) {
    const variables = kind === 'postgres' ? 'TEST_STOCK_DATABASE_URL and TEST_USER_DATABASE_URL' : 'TEST_REDIS_URL';
    throw new Error(`CI=true but ${variables} is not set: CI must run the suite against real ${kind}`);
  }
}

/** The Redis URL for tests that need a real Redis, or undefined (those tests skip, saying why). */
export function testRedisUrl(): string | undefined {
  const url = process.env.TEST_REDIS_URL || undefined;
  requireServer('redis', url !== undefined);
  return url;
}
