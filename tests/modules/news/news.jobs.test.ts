import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { insertSeedStocks } from './news-db.js';

const COUNT = `{ news(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { INSIGHTS_ON_START: 'true' }, prepareStock: (db) => insertSeedStocks(db.sql) });
});
afterAll(() => t?.close());

const storedCount = async () => Number((await t.stock.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM news_article'))[0]!.n);

describe('the news job', () => {
  it('runs every 30 minutes under the scheduler', () => {
    const job = t.app.jobs.find((j) => j.name === 'news-ingest');
    expect(job?.cron).toBe('0 */30 * * * *');
  });

  it('stores the offline headlines at first start, so a fresh install shows news', async () => {
    await expect.poll(storedCount, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(300);
    const { news } = await t.data(COUNT);
    expect(news.edges).toHaveLength(100);
    expect(news.pageInfo.hasNextPage).toBe(true);
  });

  it('stores nothing more than the new half hour’s headlines when it ticks again', async () => {
    await expect.poll(storedCount, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(300);
    const before = await storedCount();
    const job = t.app.jobs.find((j) => j.name === 'news-ingest')!;
    // 'still-running' while the start-up run finishes; the next tick after it runs.
    await expect.poll(() => t.app.scheduler.tick(job), { timeout: 60_000, interval: 200 }).toBe('ran');
    expect((await storedCount()) - before).toBeLessThanOrEqual(2);
  });
});
