import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccessTokens } from '../../src/modules/auth/access-token.js';
import { expiredTokenError } from '../../src/realtime/graphql-ws-server.js';
import { AppCloseCode } from '../../src/realtime/close-codes.js';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');

interface Client {
  socket: WebSocket;
  closed: Promise<number>;
  /** Sends one operation and resolves with its first `next` payload or its `error` payload. */
  run(query: string, variables?: Record<string, unknown>): Promise<{ type: string; payload: any }>;
  send(message: unknown): void;
}

let ids = 0;

async function connect(t: TestApp, connectionParams: Record<string, unknown> = {}): Promise<Client> {
  const socket = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const waiting = new Map<string, (message: { type: string; payload: any }) => void>();
  let acked: () => void;
  const ack = new Promise<void>((resolve) => (acked = resolve));
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'connection_ack') acked();
    if ((message.type === 'next' || message.type === 'error') && waiting.has(message.id)) {
      waiting.get(message.id)!(message);
      waiting.delete(message.id);
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
  await Promise.race([ack, closed]);
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  return {
    socket,
    closed,
    send,
    run(query, variables) {
      const id = String(++ids);
      const result = new Promise<{ type: string; payload: any }>((resolve) => waiting.set(id, resolve));
      send({ id, type: 'subscribe', payload: { query, variables } });
      return result;
    },
  };
}

async function closeAll(clients: Client[]): Promise<void> {
  for (const client of clients) client.socket.close();
  await Promise.all(clients.map((c) => c.closed));
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    prepareStock: (db) => db.sql.exec(MARKET),
    env: { GRAPHQL_INTROSPECTION: 'false', GRAPHQL_MAX_DEPTH: '4', WS_MAX_SOCKETS_PER_IP: '5', WS_MAX_SOCKETS_PER_USER: '2' },
  });
});
afterAll(() => t?.close());

describe('operations over graphql-ws pass the same rules as over HTTP', () => {
  it('runs a query over the socket and reports its cost', async () => {
    const client = await connect(t);
    const message = await client.run('{ stocks(first: 10) { edges { node { symbol } } } }');
    expect(message.type).toBe('next');
    expect(message.payload.data.stocks.edges.length).toBeGreaterThan(0);
    expect(message.payload.extensions.cost).toEqual({ requested: 30, limit: 5_000 });
    await closeAll([client]);
  });

  it('refuses introspection when it is off', async () => {
    const client = await connect(t);
    const message = await client.run('{ __schema { types { name } } }');
    expect(message.type).toBe('error');
    expect(message.payload[0].message).toContain('introspection');
    await closeAll([client]);
  });

  it('hides field suggestions when introspection is off', async () => {
    const client = await connect(t);
    const message = await client.run('{ stok(symbol: "AAPL") { symbol } }');
    expect(message.payload[0].message).toBe('Cannot query field "stok" on type "Query".');
    await closeAll([client]);
  });

  it('refuses an operation deeper than GRAPHQL_MAX_DEPTH', async () => {
    const client = await connect(t);
    const message = await client.run('{ stocks { edges { node { quote { price } } } } }');
    expect(message.type).toBe('error');
    expect(message.payload[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'GRAPHQL_MAX_DEPTH', max: 4, found: 5 });
    await closeAll([client]);
  });

  it('refuses aliases, long documents and costly operations as HTTP does', async () => {
    const client = await connect(t);
    const aliases = await client.run(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename b${i}: stock(symbol: "AAPL") { symbol }`).join(' ')} }`);
    expect(aliases.payload[0].extensions.limit).toBe('GRAPHQL_MAX_ALIASES');
    const long = await client.run(`{ __typename ${'#'.repeat(20_000)}\n}`);
    expect(long.payload[0].extensions.limit).toBe('GRAPHQL_MAX_DOCUMENT_CHARS');
    const costly = await client.run('{ a: stocks(first: 100) { edges { node { symbol } } } b: stock(symbol: "AAPL") { candles(last: 1000) { close } } c: stock(symbol: "MSFT") { candles(last: 1000) { close } } d: stock(symbol: "XOM") { candles(last: 1000) { close } } e: stock(symbol: "BRK.B") { candles(last: 1000) { close } } f: stock(symbol: "GONE") { candles(last: 1000) { close } } }');
    expect(costly.payload[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: { limit: 5_000 } });
    await closeAll([client]);
  });
});

describe('the access token of a socket', () => {
  it('is checked on every operation: an expired one gets UNAUTHENTICATED', () => {
    const now = Date.now();
    expect(expiredTokenError(now + 1_000, now)).toBeUndefined();
    expect(expiredTokenError(now, now)?.extensions.code).toBe('UNAUTHENTICATED');
    expect(expiredTokenError(undefined, now)).toBeUndefined();
  });

  it('closes the socket with 4403 when the token expires, after serving `me` while it was valid', async () => {
    const user = await signUp(t, 'ws-expiry');
    // ACCESS_TOKEN_TTL_SECONDS is at least 60: sign one issued 58.5 s ago, so it expires within ~1.5 s.
    const tokens = new AccessTokens(t.app.config.jwtSecret, 60);
    const { token, expiresAt } = await tokens.sign({ accountId: user.accountId, role: 'USER', tier: 'FREE' }, new Date(Date.now() - 58_500));
    const client = await connect(t, { authorization: `Bearer ${token}` });
    const me = await client.run('{ me { id } }');
    expect(me.payload.data.me.id).toBeTruthy();
    expect(await client.closed).toBe(AppCloseCode.TokenExpired);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
  });
});

describe('a socket whose sign-in ends', () => {
  it.each([
    ['logout of that sign-in', (user: SignedUpUser) => ({ query: 'mutation($r: String) { logout(refreshToken: $r) }', variables: { r: user.refreshToken } })],
    ['logout of every sign-in', () => ({ query: 'mutation { logout }', variables: {} })],
  ])('after %s gets UNAUTHENTICATED for me, is closed with 4403, and can neither reconnect nor write over HTTP with that token', async (_, logout) => {
    const user = await signUp(t, 'ws-logout');
    const client = await connect(t, { authorization: user.headers.authorization });
    expect((await client.run('{ me { id } }')).payload.data.me.id).toBe(user.accountId);
    const { query, variables } = logout(user);
    expect((await t.graphql(query, variables, user.headers)).errors).toBeUndefined();

    const me = await client.run('{ me { id } }');
    expect(me.type).toBe('error');
    expect(me.payload[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await client.closed).toBe(AppCloseCode.TokenExpired);
    // Reconnecting with the signed-out token is refused at connection_init (4403, the protocol's Forbidden).
    const again = await connect(t, { authorization: user.headers.authorization });
    expect(await again.closed).toBe(4403);
    const created = await t.graphql('mutation { createCollection(input: { name: "after logout" }) { id } }', {}, user.headers);
    expect(created.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const [{ n }] = await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM custom_collection WHERE name = 'after logout'`);
    expect(n).toBe(0);
  });
});

describe('socket and message caps', () => {
  it('closes the sixth socket from one address with 4430 and serves the first five', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => connect(t)));
    const sixth = await connect(t);
    expect(await sixth.closed).toBe(AppCloseCode.TooManySockets);
    expect((await clients[0]!.run('{ __typename }')).payload.data).toEqual({ __typename: 'Query' });
    await closeAll(clients);
    // Slots are released on close: a new socket is served again.
    const again = await connect(t);
    expect((await again.run('{ __typename }')).type).toBe('next');
    await closeAll([again]);
  });

  it('closes the third socket of one account with 4430', async () => {
    const user = await signUp(t, 'ws-cap');
    const params = { authorization: user.headers.authorization };
    const first = await connect(t, params);
    const second = await connect(t, params);
    const third = await connect(t, params);
    expect(await third.closed).toBe(AppCloseCode.TooManySockets);
    await closeAll([first, second]);
  });

  it('closes a socket flooding subscribe/complete pairs with 4429', async () => {
    const client = await connect(t);
    for (let i = 0; i < 1_000 && client.socket.readyState === WebSocket.OPEN; i += 1) {
      client.send({ id: `f${i}`, type: 'subscribe', payload: { query: '{ __typename }' } });
      client.send({ id: `f${i}`, type: 'complete' });
    }
    expect(await client.closed).toBe(AppCloseCode.TooManyMessages);
  });
});
