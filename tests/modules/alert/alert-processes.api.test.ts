import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { alertTopic, priceTopic } from '../../../src/realtime/topics.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testTarget } from '../../support/databases.js';
import { testRedisUrl } from '../../support/servers.js';

// Two API processes on one Redis and one pair of databases: each hears every tick and evaluates it; the
// conditional UPDATE lets one of them fire it. Needs a real Redis (the embedded bus is per process).
const STOCKS = readFileSync(new URL('./fixtures/stocks.sql', import.meta.url), 'utf8');
const redisUrl = testRedisUrl();
const CREATE = `mutation($input: CreateAlertInput!) { createAlert(input: $input) { id } }`;

let t: TestApp;
let other: App;
let otherUrl: string;
let alice: SignedUpUser;
let bob: SignedUpUser;

const handledBy = (app: App) => app.insights.alerts!.handled;
/** Runs `act`, then waits until both processes have handled one more bus event each. */
async function onBoth(act: () => Promise<unknown>): Promise<void> {
  const before = [handledBy(t.app), handledBy(other)];
  await act();
  await expect.poll(() => handledBy(t.app) > before[0]! && handledBy(other) > before[1]!, { timeout: 10_000 }).toBe(true);
}

function listen(url: string, user: SignedUpUser) {
  return import('graphql-ws').then(async ({ createClient }) => {
    const { WebSocket } = await import('ws');
    const client = createClient({ url: url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: user.headers.authorization } });
    const got: unknown[] = [];
    let subscribed!: () => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    client.on('connected', () => subscribed());
    client.subscribe({ query: `subscription { alertTriggered { symbol condition value } }` }, { next: (v) => void got.push(v.data), error: () => undefined, complete: () => undefined });
    await ready;
    // Probes on the user's topic until one arrives: from then on the subscription is live on the server.
    const probe = { id: 'probe', alertId: 'probe', symbol: 'PROBE', condition: 'PRICE_ABOVE', value: null, firedAt: new Date().toISOString() };
    await expect.poll(async () => (await other.bus.publish(alertTopic(user.accountId), probe), got.length), { timeout: 10_000 }).toBeGreaterThan(0);
    const real = () => got.filter((m) => (m as { alertTriggered: { symbol: string } }).alertTriggered.symbol !== 'PROBE');
    return { client, real };
  });
}

describe.skipIf(!redisUrl)('alerts in two API processes on one Redis (needs a real Redis: set TEST_REDIS_URL)', () => {
  beforeAll(async () => {
    t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS) });
    const config = loadConfig({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false', JOBS_ENABLED: 'false', RATE_LIMITS: 'off',
      REDIS_URL: t.app.config.redisUrl!, REDIS_KEY_PREFIX: t.app.config.redisKeyPrefix,
    });
    other = await createApp(config, { logger: createLogger('silent'), stockTarget: testTarget(t.stock, 2), userTarget: testTarget(t.user, 2) });
    otherUrl = await other.listen();
    alice = await signUp(t, 'alice');
    bob = await signUp(t, 'bob');
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it("fire a crossing once, and alertTriggered reaches the owner's socket on the other process only", async () => {
    const [mine, theirs] = await Promise.all([listen(otherUrl, alice), listen(otherUrl, bob)]);
    try {
      let alertId = '';
      await onBoth(async () => (alertId = (await t.data(CREATE, { input: { symbol: 'MSFT', condition: 'PRICE_ABOVE', threshold: 500 } }, alice.headers)).createAlert.id));
      const tick = (price: number) => onBoth(() => t.app.bus.publish(priceTopic('MSFT'), { symbol: 'MSFT', price, previousClose: 490, volume: 10, timestamp: new Date().toISOString() }));
      await tick(510);
      await tick(512);
      const count = async () => Number((await t.user.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM alert_event WHERE alert_id = $1`, [alertId]))[0]!.n);
      expect(await count()).toBe(1);
      await expect.poll(() => mine.real(), { timeout: 5_000 }).toEqual([{ alertTriggered: { symbol: 'MSFT', condition: 'PRICE_ABOVE', value: 510 } }]);
      // Re-armed below the band, crossed again: once more, still once across the two processes.
      await tick(480);
      await tick(505);
      expect(await count()).toBe(2);
      await expect.poll(() => mine.real().length, { timeout: 5_000 }).toBe(2);
      expect(theirs.real()).toEqual([]);
    } finally {
      await mine.client.dispose();
      await theirs.client.dispose();
    }
  });

  it("unmarkStock drops the target price's alert from the other process's index too", async () => {
    const mark = `mutation { markStock(input: { symbol: "AAPL", targetPrice: 300 }) { targetPrice } }`;
    await onBoth(() => t.data(mark, {}, bob.headers));
    const [alert] = (await t.data(`{ alerts { id fromTargetPrice } }`, {}, bob.headers)).alerts;
    expect(alert).toMatchObject({ fromTargetPrice: true });
    expect(other.insights.alerts!.index.get(alert.id)).toBeDefined();
    await onBoth(() => t.data(`mutation { unmarkStock(symbol: "AAPL") }`, {}, bob.headers));
    expect(other.insights.alerts!.index.get(alert.id)).toBeUndefined();
    expect(t.app.insights.alerts!.index.get(alert.id)).toBeUndefined();
    expect((await t.data(`{ alerts { id } }`, {}, bob.headers)).alerts).toEqual([]);
  });
});
