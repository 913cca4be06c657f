import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openUserDatabase, type Database, type UserClient } from '../../../src/db/database.js';
import { createLogger } from '../../../src/log.js';
import { AlertEvaluator } from '../../../src/modules/alert/alert-evaluator.js';
import { ALERTS_PER_USER, AlertStore } from '../../../src/modules/alert/alert.store.js';
import { MemoryEventBus } from '../../../src/realtime/memory-event-bus.js';
import { alertTopic } from '../../../src/realtime/topics.js';
import { openTestDatabase, testTarget, type TestDatabase } from '../../support/databases.js';

let db: TestDatabase;
let a: Database<UserClient>;
let b: Database<UserClient>;
let alice: string;
let bob: string;
const logger = createLogger('silent');
const listed = async (symbol: string) => {
  if (symbol === 'NOPE') throw new Error('unknown symbol NOPE');
};

beforeAll(async () => {
  db = await openTestDatabase('user');
  // Two clients with their own pools: two API processes on one user DB.
  a = await openUserDatabase(testTarget(db));
  b = await openUserDatabase(testTarget(db));
  const account = (email: string) => a.prisma.account.create({ data: { email, passwordHash: 'x', fullName: email } });
  alice = (await account('alice@example.com')).id;
  bob = (await account('bob@example.com')).id;
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.close();
});
beforeEach(async () => {
  await a.prisma.alertEvent.deleteMany();
  await a.prisma.alert.deleteMany();
});

describe('creating alerts', () => {
  const store = () => new AlertStore(a.prisma);

  it('refuses a condition that needs a threshold without one, with the field named', async () => {
    await expect(store().create(alice, { symbol: 'AAPL', condition: 'PRICE_ABOVE' }, listed)).rejects.toMatchObject({
      message: 'threshold: PRICE_ABOVE needs a threshold',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it("answers NOT_FOUND for another user's screener and writes nothing", async () => {
    const screener = await a.prisma.customScreener.create({ data: { accountId: bob, name: 'bob' } });
    await expect(
      store().create(alice, { symbol: 'AAPL', condition: 'SCREENER_ENTER', screenerId: screener.id }, listed),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await a.prisma.alert.count()).toBe(0);
    await store().create(bob, { symbol: 'AAPL', condition: 'SCREENER_ENTER', screenerId: screener.id }, listed);
    expect(await a.prisma.alert.count()).toBe(1);
  });

  it('refuses an unknown symbol through the symbol check', async () => {
    await expect(store().create(alice, { symbol: 'NOPE', condition: 'PRICE_ABOVE', threshold: 1 }, listed)).rejects.toThrow('NOPE');
  });

  it('caps the alerts of one user', async () => {
    await a.prisma.alert.createMany({
      data: Array.from({ length: ALERTS_PER_USER }, () => ({ accountId: alice, stockSymbol: 'AAPL', condition: 'PRICE_ABOVE' as const, threshold: 1 })),
    });
    await expect(store().create(alice, { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 2 }, listed)).rejects.toMatchObject({
      message: `at most ${ALERTS_PER_USER} alerts per user: delete one first`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await store().create(bob, { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 2 }, listed);
  });

  it("deletes only the owner's alert", async () => {
    const alert = await store().create(alice, { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 2 }, listed);
    expect(await store().delete(bob, alert.id)).toBe(false);
    expect(await store().delete(alice, alert.id)).toBe(true);
  });
});

describe('firing across processes', () => {
  it('two processes observing the same ticks fire one crossing once, and again after re-arming', async () => {
    const bus = new MemoryEventBus(logger);
    const one = new AlertEvaluator(new AlertStore(a.prisma), bus);
    const two = new AlertEvaluator(new AlertStore(b.prisma), bus);
    await new AlertStore(a.prisma).create(alice, { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 100 }, listed);
    await Promise.all([one.load(), two.load()]);
    const tick = (price: number, s: number) => {
      const at = new Date(Date.UTC(2026, 0, 1, 15, 0, s));
      return Promise.all([one.observe('AAPL', { price }, at), two.observe('AAPL', { price }, at)]);
    };
    const fired = [await tick(101, 0), await tick(102, 1), await tick(99, 2), await tick(101, 3)].map((pair) => pair.flat().length);
    expect(fired).toEqual([1, 0, 0, 1]);
    expect(await a.prisma.alertEvent.count()).toBe(2);
  });

  it("publishes each firing on its owner's topic only", async () => {
    const bus = new MemoryEventBus(logger);
    const evaluator = new AlertEvaluator(new AlertStore(a.prisma), bus);
    const store = new AlertStore(a.prisma);
    await store.create(alice, { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 100 }, listed);
    await store.create(bob, { symbol: 'MSFT', condition: 'PRICE_BELOW', threshold: 50 }, listed);
    await evaluator.load();
    const got: Record<string, unknown[]> = { alice: [], bob: [] };
    await bus.subscribe(alertTopic(alice), (p) => void got.alice!.push(p));
    await bus.subscribe(alertTopic(bob), (p) => void got.bob!.push(p));
    await evaluator.observe('AAPL', { price: 120 });
    await new Promise((r) => setTimeout(r, 20));
    expect(got.alice).toHaveLength(1);
    expect(got.bob).toHaveLength(0);
  });
});

describe('history', () => {
  it('pages newest first with an opaque after cursor, scoped to the user', async () => {
    const alert = await new AlertStore(a.prisma).create(alice, { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 1 }, listed);
    await a.prisma.alertEvent.createMany({
      data: [1, 2, 3, 4, 5].map((m) => ({
        alertId: alert.id, accountId: alice, stockSymbol: 'AAPL', condition: 'PRICE_ABOVE' as const, value: m, firedAt: new Date(Date.UTC(2026, 0, 1, 0, m)),
      })),
    });
    const store = new AlertStore(a.prisma);
    const page1 = await store.history(alice, 2, null);
    const page2 = await store.history(alice, 2, page1.events[1]!.id);
    const page3 = await store.history(alice, 2, page2.events[1]!.id);
    expect([page1, page2, page3].map((p) => [p.events.map((e) => e.value), p.hasNextPage])).toEqual([
      [[5, 4], true],
      [[3, 2], true],
      [[1], false],
    ]);
    expect((await store.history(bob, 10, null)).events).toEqual([]);
    await expect(store.history(bob, 2, page1.events[1]!.id)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('targetPrice as an alert', () => {
  it('creates, redirects and removes the PRICE alert of a StockInterest as its target changes', async () => {
    const store = new AlertStore(a.prisma);
    const interest = await a.prisma.userStockPotential.create({ data: { accountId: alice, stockSymbol: 'AAPL', targetPrice: 150 } });
    const sync = (targetPrice: number | null, last: number | null) =>
      store.syncInterest({ id: interest.id, accountId: alice, symbol: 'AAPL', targetPrice }, last);
    expect(await sync(150, 120)).toMatchObject({ condition: 'PRICE_ABOVE', threshold: 150 });
    expect(await sync(100, 120)).toMatchObject({ condition: 'PRICE_BELOW', threshold: 100 });
    expect(await a.prisma.alert.count({ where: { accountId: alice } })).toBe(1);
    expect(await sync(null, 120)).toBeNull();
    expect(await a.prisma.alert.count({ where: { accountId: alice } })).toBe(0);
  });

  it('removes the alert when the interest itself is deleted', async () => {
    const store = new AlertStore(a.prisma);
    const interest = await a.prisma.userStockPotential.create({ data: { accountId: alice, stockSymbol: 'MSFT', targetPrice: 10 } });
    await store.syncInterest({ id: interest.id, accountId: alice, symbol: 'MSFT', targetPrice: 10 }, null);
    await a.prisma.userStockPotential.delete({ where: { id: interest.id } });
    expect(await a.prisma.alert.count()).toBe(0);
  });
});
