import { describe, expect, it } from 'vitest';
import { expandSharedData, jsonMessageReplacer, markShared, wrapSocketSend } from './serialize-once.js';

/** What graphql-ws does for a `next` message, then a socket send through the wrapper. */
function sendNext(id: string, data: object): string {
  let sent = '';
  const socket = { send: (message: string) => void (sent = message) };
  wrapSocketSend(socket as never);
  socket.send(JSON.stringify({ id, type: 'next', payload: { data } }, jsonMessageReplacer));
  return sent;
}

describe('serialising shared results once', () => {
  it('stringifies shared data once however many sockets receive it, each message exactly as plain JSON would be', () => {
    let reads = 0;
    const data = Object.freeze({ priceUpdated: { symbol: 'AAPL', get price() { reads += 1; return 190.5; } } });
    markShared(data);
    const messages = ['1', '2', 'sub-3'].map((id) => sendNext(id, data));
    expect(reads).toBe(1);
    expect(messages.map((m) => JSON.parse(m))).toEqual(['1', '2', 'sub-3'].map((id) => ({ id, type: 'next', payload: { data: { priceUpdated: { symbol: 'AAPL', price: 190.5 } } } })));
  });

  it('leaves data that is not shared alone', () => {
    const data = { priceUpdated: { symbol: 'MSFT' } };
    expect(JSON.parse(sendNext('x', data))).toEqual({ id: 'x', type: 'next', payload: { data } });
  });

  it('is not fooled by a subscription id that looks like the placeholder', () => {
    const data = Object.freeze({ n: 1 });
    markShared(data);
    const id = '\u0000marketgraph:shared-data\u0000';
    expect(JSON.parse(sendNext(id, data))).toEqual({ id, type: 'next', payload: { data: { n: 1 } } });
  });

  it('passes messages without shared data through unchanged', () => {
    expect(expandSharedData('{"type":"pong"}')).toBe('{"type":"pong"}');
  });
});
