import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * Graceful stop for a node:http server. http.Server#close() also closes every
 * connection it thinks idle, and a connection whose request bytes are still
 * unread (the event loop was busy) looks idle: the client sees a reset for a
 * request it already sent. So: stop listening only, close the keep-alive
 * connections that have served a request and are between requests, answer
 * everything else with `connection: close`, and cut what is left at the grace.
 */
export function connectionDrainer(server: Server) {
  const sockets = new Map<Socket, { active: number; served: number }>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0, served: 0 });
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = sockets.get(req.socket);
    if (!state) return;
    state.active += 1;
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      state.active -= 1;
      state.served += 1;
    });
  });
  return {
    get draining() {
      return draining;
    },
    /** Resolves when every connection has ended, or after graceMs with the rest cut. */
    async drain(graceMs: number): Promise<void> {
      draining = true;
      const closed = new Promise<void>((done) => NetServer.prototype.close.call(server, () => done()));
      for (const [socket, state] of sockets) if (state.active === 0 && state.served > 0) socket.destroy();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((done) => (timer = setTimeout(done, graceMs)))]);
      clearTimeout(timer);
      server.closeAllConnections();
      for (const socket of sockets.keys()) socket.destroy();
      // http.Server#close clears its own timers; the listener is already gone.
      server.close(() => undefined);
    },
  };
}
