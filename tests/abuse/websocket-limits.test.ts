import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';

// Budgets of a few cost units, so a test spends one in a handful of operations.
const LIMITS = {
  RATE_LIMITS: 'on',
  RATE_LIMIT_ANONYMOUS_PER_HOUR: '5',
  RATE_LIMIT_FREE_PER_HOUR: '50',
  RATE_LIMIT_AVERAGE_COST: '1',
  TRUSTED_PROXIES: '127.0.0.1',
};

let ipCounter = 0;
/** A fresh client address, forwarded by the trusted proxy (the test itself, on 127.0.0.1). */
const freshIp = () => `198.51.100.${++ipCounter}`;

interface Socket {
  /** Sends one operation and resolves with its first `next` or `error` message. */
  run(query: string): Promise<{ type: string; payload: any }>;
  close(): Promise<void>;
}

async function openSocket(t: TestApp, ip: string, connectionParams: Record<string, unknown> = {}): Promise<Socket> {
  const socket = new WebSocket(t.url.replace('http', 'ws'), 'graphql-transport-ws', { headers: { 'x-forwarded-for': ip } });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const waiting = new Map<string, (message: { type: string; payload: any }) => void>();
  let acked!: () => void;
  const ack = new Promise<void>((resolve) => (acked = resolve));
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'connection_ack') acked();
    if ((message.type === 'next' || message.type === 'error') && waiting.has(message.id)) waiting.get(message.id)!(message);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
  await Promise.race([ack, closed.then(() => Promise.reject(new Error('socket closed before connection_ack')))]);
  let ids = 0;
  return {
    run(query) {
      const id = String(++ids);
      const answer = new Promise<{ type: string; payload: any }>((resolve) => waiting.set(id, resolve));
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
      return answer;
    },
    async close() {
      socket.close();
      await closed;
    },
  };
}

async function post(t: TestApp, query: string, ip: string, headers: Record<string, string> = {}) {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] } };
}

let t: TestApp;
let user: SignedUpUser;
let apiKey: string;
beforeAll(async () => {
  t = await startTestApp({ env: LIMITS });
  user = await signUp(t, 'ws-limits');
  const created = await post(t, `mutation { createApiKey(name: "socket") { key } }`, freshIp(), user.headers);
  apiKey = created.body.data.createApiKey.key;
});
afterAll(() => t?.close());

describe('websocket operations and the HTTP rate limits', () => {
  it('spend the same budget as HTTP requests from the same client, and are refused with RATE_LIMITED once it is gone', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i += 1) expect((await post(t, '{ __typename }', ip)).status).toBe(200);
    const socket = await openSocket(t, ip);
    expect((await socket.run('{ __typename }')).type).toBe('next');
    expect((await socket.run('{ __typename }')).type).toBe('next');
    const refused = await socket.run('{ __typename }');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.payload[0].extensions.retryAfter).toBeGreaterThan(0);
    // ...and the budget is spent for HTTP too.
    expect((await post(t, '{ __typename }', ip)).status).toBe(429);
    await socket.close();
  });

  it('give another client address its own budget', async () => {
    const socket = await openSocket(t, freshIp());
    expect((await socket.run('{ __typename }')).type).toBe('next');
    await socket.close();
  });
});

describe('API keys on the websocket', () => {
  it.each([
    ['x-api-key', () => ({ 'x-api-key': apiKey })],
    ['authorization: ApiKey', () => ({ authorization: `ApiKey ${apiKey}` })],
  ])('sign the socket in as the key’s owner when sent as %s in connection_init', async (_, params) => {
    const socket = await openSocket(t, freshIp(), params());
    const me = await socket.run('{ me { email } }');
    expect(me.payload.data).toEqual({ me: { email: user.email } });
    await socket.close();
  });

  it('refuse the connection for a key that does not exist', async () => {
    await expect(openSocket(t, freshIp(), { 'x-api-key': 'mg_not-a-real-key-not-a-real-key-xx' })).rejects.toThrow('socket closed');
  });
});
