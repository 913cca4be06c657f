// Child process of bench/fanout.ts: opens N websocket clients on loopback, so
// that client work does not run on the server's event loop, and reports when
// every client has received a given tick.
import WebSocket from 'ws';

type Mode = 'graphql' | 'raw';
interface Start { mode: Mode; url: string; count: number; query: string }

const now = () => performance.timeOrigin + performance.now();
let sockets: WebSocket[] = [];
let waiting: { tick: number; remaining: number } | null = null;

function onTick(tick: number): void {
  if (!waiting || tick !== waiting.tick) return;
  waiting.remaining -= 1;
  if (waiting.remaining === 0) {
    process.send!({ type: 'delivered', tick, at: now() });
    waiting = null;
  }
}

function open(mode: Mode, url: string, query: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = mode === 'graphql' ? new WebSocket(url, 'graphql-transport-ws') : new WebSocket(url);
    let ready = false;
    socket.on('error', reject);
    socket.on('open', () => {
      if (mode === 'raw') return void ((ready = true), resolve(socket));
      socket.send(JSON.stringify({ type: 'connection_init' }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        return;
      }
      const update = message.payload?.data?.priceUpdated ?? message.payload?.data;
      if (!ready) {
        // The first `next` is the current value sent on subscribe.
        ready = true;
        return resolve(socket);
      }
      onTick(Number(update?.volume));
    });
  });
}

process.on('message', async (message: { type: string } & Partial<Start> & { tick?: number }) => {
  if (message.type === 'start') {
    const { mode, url, count, query } = message as Start;
    sockets = [];
    for (let i = 0; i < count; i += 250) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(250, count - i) }, () => open(mode, url, query)))));
    }
    process.send!({ type: 'ready', count: sockets.length });
  } else if (message.type === 'expect') {
    waiting = { tick: message.tick!, remaining: sockets.length };
    process.send!({ type: 'expecting', tick: message.tick });
  } else if (message.type === 'stop') {
    for (const socket of sockets) socket.terminate();
    sockets = [];
    process.send!({ type: 'stopped' });
  }
});
