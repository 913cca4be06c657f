import { format } from 'node:util';
import type { Logger } from '../log.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function plain(args: unknown[]): string {
  return format(...args).replace(ANSI, '').trim();
}

/**
 * node-cron's logger interface (setLogger / the `logger` task option). Its default writes ANSI-coloured text
 * ("[NODE-CRON] [WARN] missed execution at …") to the console, in the middle of the JSON stream.
 */
export function cronLogger(logger: Logger) {
  const child = logger.child({ source: 'node-cron' });
  return {
    info: (message: string) => child.info(plain([message])),
    warn: (message: string) => child.warn(plain([message])),
    error: (message: string | Error, err?: Error) =>
      message instanceof Error ? child.error({ err: message }, message.message) : child.error(err ? { err } : {}, plain([message])),
    debug: (message: string | Error, err?: Error) =>
      message instanceof Error ? child.debug({ err: message }, message.message) : child.debug(err ? { err } : {}, plain([message])),
  };
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const LEVELS: Record<ConsoleMethod, 'info' | 'warn' | 'error' | 'debug' | 'trace'> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'trace',
};

/**
 * Sends every console.* call of this process (libraries print warnings there) through the logger as one JSON
 * line with `source: "console"` and colours stripped. Returns a function that puts the console back.
 */
export function routeConsoleToLogger(logger: Logger): () => void {
  const child = logger.child({ source: 'console' });
  const saved = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    saved.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      child[LEVELS[method]](error ? { err: error } : {}, plain(args.filter((arg) => arg !== error)) || (error?.message ?? ''));
    };
  }
  return () => {
    for (const [method, original] of saved) console[method] = original;
  };
}
