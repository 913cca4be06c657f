import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; quiet in tests unless LOG_LEVEL says otherwise. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'marketgraph' } });
}
