import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const STOCKS = readFileSync(new URL('./fixtures/stocks.sql', import.meta.url), 'utf8');
const CREATE = `mutation($input: CreateAlertInput!) { createAlert(input: $input) { id symbol condition threshold cooldownSeconds armed } }`;

let t: TestApp;
let alice: SignedUpUser;
let bob: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS) });
  alice = await signUp(t, 'alice');
  bob = await signUp(t, 'bob');
});
afterAll(() => t?.close());

describe('alerts over GraphQL', () => {
  it('creates, lists and deletes the signed-in user’s alerts only', async () => {
    const created = await t.graphql(CREATE, { input: { symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 200, cooldownSeconds: 60 } }, alice.headers);
    expect(created.errors).toBeUndefined();
    const alert = created.data!.createAlert;
    expect(alert).toMatchObject({ symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 200, cooldownSeconds: 60, armed: true });
    expect((await t.graphql(`{ alerts { id } }`, {}, bob.headers)).data!.alerts).toEqual([]);
    expect((await t.graphql(`{ alerts { id } }`, {}, alice.headers)).data!.alerts).toEqual([{ id: alert.id }]);
    const del = `mutation($id: ID!) { deleteAlert(id: $id) }`;
    expect((await t.graphql(del, { id: alert.id }, bob.headers)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.graphql(del, { id: alert.id }, alice.headers)).data!.deleteAlert).toBe(true);
  });

  it('answers BAD_USER_INPUT for an unknown symbol and a missing threshold, UNAUTHENTICATED when signed out', async () => {
    const unknown = await t.graphql(CREATE, { input: { symbol: 'NOPE', condition: 'PRICE_ABOVE', threshold: 1 } }, alice.headers);
    expect(unknown.errors?.[0]).toMatchObject({ message: 'symbol: no listed stock has the symbol NOPE', extensions: { code: 'BAD_USER_INPUT' } });
    const missing = await t.graphql(CREATE, { input: { symbol: 'AAPL', condition: 'RSI_BELOW' } }, alice.headers);
    expect(missing.errors?.[0]).toMatchObject({ message: 'threshold: RSI_BELOW needs a threshold', extensions: { code: 'BAD_USER_INPUT' } });
    const anonymous = await t.graphql(`{ alerts { id } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('pages the alert history', async () => {
    const result = await t.graphql(`{ alertHistory(first: 5) { nodes { id } endCursor hasNextPage } }`, {}, alice.headers);
    expect(result.errors).toBeUndefined();
    expect(result.data!.alertHistory).toEqual({ nodes: [], endCursor: null, hasNextPage: false });
  });
});

describe('alertTriggered', () => {
  it("delivers a firing to its owner's subscription only, from a tick on the bus", async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    const listen = (user: SignedUpUser) => {
      const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: user.headers.authorization } });
      const got: any[] = [];
      client.subscribe({ query: `subscription { alertTriggered { symbol condition value } }` }, { next: (v) => void got.push(v.data), error: () => undefined, complete: () => undefined });
      return { client, got };
    };
    const a = listen(alice);
    const b = listen(bob);
    await t.graphql(CREATE, { input: { symbol: 'MSFT', condition: 'PRICE_ABOVE', threshold: 500 } }, alice.headers);
    await new Promise((r) => setTimeout(r, 300));
    await t.app.bus.publish('price:MSFT', { symbol: 'MSFT', price: 510, previousClose: 490, volume: 10 });
    await expect.poll(() => a.got, { timeout: 5000 }).toEqual([{ alertTriggered: { symbol: 'MSFT', condition: 'PRICE_ABOVE', value: 510 } }]);
    expect(b.got).toEqual([]);
    const history = await t.graphql(`{ alertHistory { nodes { symbol value } } }`, {}, alice.headers);
    expect(history.data!.alertHistory.nodes).toEqual([{ symbol: 'MSFT', value: 510 }]);
    await a.client.dispose();
    await b.client.dispose();
  });
});

describe('targetPrice through markStock', () => {
  it('creates the PRICE alert with the target and removes it when the target is cleared', async () => {
    const mark = (targetPrice: number | null) =>
      t.graphql(`mutation($p: Float) { markStock(input: { symbol: "AAPL", targetPrice: $p }) { targetPrice } }`, { p: targetPrice }, bob.headers);
    expect((await mark(300)).errors).toBeUndefined();
    const list = async () => (await t.graphql(`{ alerts { symbol condition threshold fromTargetPrice } }`, {}, bob.headers)).data!.alerts;
    expect(await list()).toEqual([{ symbol: 'AAPL', condition: 'PRICE_ABOVE', threshold: 300, fromTargetPrice: true }]);
    await mark(null);
    expect(await list()).toEqual([]);
  });

  it("unmarkStock deletes the target's alert and takes it out of the process's alert index", async () => {
    const mark = `mutation { markStock(input: { symbol: "MSFT", targetPrice: 900 }) { targetPrice } }`;
    expect((await t.graphql(mark, {}, bob.headers)).errors).toBeUndefined();
    const [alert] = (await t.data(`{ alerts { id } }`, {}, bob.headers)).alerts;
    await expect.poll(() => t.app.insights.alerts!.index.get(alert.id)).toBeDefined();
    expect((await t.data(`mutation { unmarkStock(symbol: "MSFT") }`, {}, bob.headers)).unmarkStock).toBe(true);
    expect((await t.data(`{ alerts { id } }`, {}, bob.headers)).alerts).toEqual([]);
    await expect.poll(() => t.app.insights.alerts!.index.get(alert.id), { timeout: 5_000 }).toBeUndefined();
  });
});
