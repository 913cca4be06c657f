// Child process of bench/fanout.ts: opens N websocket clients on loopback, so
// that client work does not run on the server's event loop, and reports when
// every client has received a given tick.
//
// Set-up never hangs: a socket that errors, closes or gets an error instead of
// its first value before it is live counts as failed and is replaced (up to MAX_ATTEMPTS per slot), each socket has
// SOCKET_TIMEOUT_MS to become live, and the whole set-up has SETUP_TIMEOUT_MS;
// `ready` then reports how many are live and how many failed. A socket that
// closes later is dropped from the sockets a tick waits for.
import WebSocket from 'ws';

type Mode = 'graphql' | 'raw';
interface Start { mode: Mode; url: string; count: number; query: string }

const SOCKET_TIMEOUT_MS = 10_000;
// Ten thousand subscribes on a loaded 2-core machine took over two minutes.
const SETUP_TIMEOUT_MS = 600_000;
const MAX_ATTEMPTS = 3;
const BATCH = 100;

const now = () => performance.timeOrigin + performance.now();
let live = new Set<WebSocket>();
let waiting: { tick: number; pending: Set<WebSocket> } | null = null;
/** Why sockets went away after becoming live (close code or message type), for the report. */
let lost: Record<string, number> = {};

function delivered(socket: WebSocket, tick: number): void {
  if (!waiting || tick !== waiting.tick) return;
  waiting.pending.delete(socket);
  if (waiting.pending.size === 0) {
    if (process.connected) process.send!({ type: 'delivered', tick, at: now() });
    waiting = null;
  }
}

function dropped(socket: WebSocket): void {
  if (!live.delete(socket)) return;
  if (waiting?.pending.has(socket)) delivered(socket, waiting.tick);
}

/** Opens one client; resolves with it once live, or with null when it failed (error, close, timeout). */
function open(mode: Mode, url: string, query: string, index: number): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const socket = mode === 'graphql' ? new WebSocket(url, 'graphql-transport-ws') : new WebSocket(url);
    let settled = false;
    const settle = (value: WebSocket | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (value) live.add(value);
      else socket.terminate();
      resolve(value);
    };
    const timer = setTimeout(() => settle(null), SOCKET_TIMEOUT_MS);
    socket.on('error', () => settle(null));
    socket.on('close', (code) => {
      if (!settled) return settle(null);
      if (live.has(socket)) lost[code] = (lost[code] ?? 0) + 1;
      dropped(socket);
    });
    socket.on('open', () => {
      if (mode === 'raw') return settle(socket);
      socket.send(JSON.stringify({ type: 'connection_init' }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        // Distinct ids, as real clients use: the server must not get away with one frame for all.
        socket.send(JSON.stringify({ id: `s${index}`, type: 'subscribe', payload: { query } }));
        return;
      }
      if (!settled) {
        // The first `next` is the current value sent on subscribe; an error (the database busy under the
        // set-up's load, say) ends the subscription, so the socket counts as failed and is replaced.
        return settle(message.type === 'next' && message.payload?.data?.priceUpdated ? socket : null);
      }
      if (message.type !== 'next') {
        // `complete` or `error`: no more ticks will come on this socket.
        lost[message.type] = (lost[message.type] ?? 0) + 1;
        dropped(socket);
        return socket.terminate();
      }
      delivered(socket, Number(message.payload.data.priceUpdated.volume));
    });
  });
}

async function start({ mode, url, count, query }: Start): Promise<{ count: number; failed: number; lost: Record<string, number> }> {
  live = new Set();
  lost = {};
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  let failed = 0;
  let next = 0;
  const attempts = new Map<number, number>();
  const slots = Array.from({ length: count }, (_, i) => i);
  while (slots.length > 0 && Date.now() < deadline) {
    const batch = slots.splice(0, BATCH);
    const opened = await Promise.all(batch.map((slot) => open(mode, url, query, next++).then((socket) => ({ slot, socket }))));
    for (const { slot, socket } of opened) {
      if (socket) continue;
      failed += 1;
      const tries = (attempts.get(slot) ?? 1) + 1;
      attempts.set(slot, tries);
      if (tries <= MAX_ATTEMPTS) slots.push(slot);
    }
  }
  return { count: live.size, failed, lost };
}

process.on('message', async (message: { type: string } & Partial<Start> & { tick?: number }) => {
  if (message.type === 'start') {
    process.send!({ type: 'ready', ...(await start(message as Start)) });
  } else if (message.type === 'expect') {
    waiting = { tick: message.tick!, pending: new Set(live) };
    process.send!({ type: 'expecting', tick: message.tick });
  } else if (message.type === 'status') {
    process.send!({ type: 'status', tick: waiting?.tick, missing: waiting?.pending.size ?? 0, live: live.size, lost });
  } else if (message.type === 'stop') {
    const closing = [...live];
    live = new Set();
    waiting = null;
    for (const socket of closing) socket.terminate();
    process.send!({ type: 'stopped' });
  }
});
