import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout. Written synchronously: an asynchronous buffer loses
 * the last lines (the shutdown record, the fatal error) when the process exits.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'marketgraph' } }, pino.destination({ dest: 1, sync: true }));
}
