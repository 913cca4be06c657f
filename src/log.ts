import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestScope } from './observability/request-id.js';

export type { Logger };

const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'apiKey', 'key', 'secret', 'jwtSecret', 'authorization', 'cookie'];
/** Objects that carry credentials when something logs them: an HTTP request's headers, GraphQL variables, inputs. */
const CARRIERS = ['headers', 'req.headers', 'variables', 'variables.input', 'input', 'args', 'args.input', 'connectionParams', 'params', 'payload', 'err.config.headers'];

/**
 * Secrets that must never reach the log, at the places they occur when an object carrying them is logged.
 * Explicit paths, not wildcards: pino's `*.password` style paths cost ~10-25x the whole log call (measured:
 * 3.5 µs a line without redaction, 37 µs with one-level wildcards, 93 µs with two), and every operation writes a
 * line. tests/observability/logs.test.ts greps a whole register/login/refresh session for the secrets.
 */
export const REDACTED_PATHS = [
  ...SECRET_KEYS.filter((key) => key !== 'key'),
  ...CARRIERS.flatMap((carrier) => SECRET_KEYS.map((key) => `${carrier}.${key}`)),
  ...['headers', 'req.headers'].map((carrier) => `${carrier}["x-api-key"]`),
];

/** A warn-or-worse record as the logger emitted it, for sinks beside stdout (the activity log's system_logs). */
export interface LogRecord {
  /** pino's label: warn, error or fatal. */
  level: string;
  msg: string;
  /** The merging object of the call (`logger.warn({ job }, 'msg')`). */
  fields: Record<string, unknown>;
  /** The child logger's bindings. */
  bindings: Record<string, unknown>;
}

export type LogTap = (record: LogRecord) => void;

const TAPS = Symbol.for('marketgraph.logTaps');
const WARN = 40;

const SECRET_KEY_SET = new Set([...SECRET_KEYS, 'x-api-key'].map((key) => key.toLowerCase()));

/**
 * The same secrets REDACTED_PATHS censors on stdout, censored at any depth for the taps: a tap stores what it gets
 * (system_logs.metadata), and pino's redaction only applies to the line it writes.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_KEY_SET.has(key.toLowerCase()) ? '[redacted]' : redactSecrets(item, depth + 1)]));
}

function toRecord(args: unknown[], levelNumber: number, bindings: Record<string, unknown>): LogRecord {
  const [first, second] = args;
  const raw = first && typeof first === 'object' ? (first instanceof Error ? { err: first } : (first as Record<string, unknown>)) : {};
  const fields = redactSecrets(raw) as Record<string, unknown>;
  const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : fields.err instanceof Error ? fields.err.message : '';
  // The request id reaches stdout through the mixin, not the call's arguments: hand it to the taps as well.
  const scope = currentRequestScope();
  const withScope = scope && bindings.requestId === undefined ? { ...bindings, requestId: scope.requestId } : bindings;
  return { level: pino.levels.labels[levelNumber] ?? String(levelNumber), msg, fields, bindings: withScope };
}

/**
 * JSON lines on stdout. Written synchronously: an asynchronous buffer loses
 * the last lines (the shutdown record, the fatal error) when the process exits.
 * Every line written while a request is served carries its `requestId` (and
 * `traceId` from `traceparent`), so an error log names the request it broke.
 * Records at warn and above are also handed to the taps added by tapLogger
 * (only those the level lets through). `destination`: tests write elsewhere.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  const taps = new Set<LogTap>();
  const logger = pino(
    {
      level,
      base: { service: 'marketgraph' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const scope = currentRequestScope();
        if (!scope) return {};
        return scope.traceId ? { requestId: scope.requestId, traceId: scope.traceId } : { requestId: scope.requestId };
      },
      hooks: {
        logMethod(args, method, levelNumber) {
          if (taps.size > 0 && levelNumber >= WARN && !isStdoutOnly(args[0])) {
            const record = toRecord(args, levelNumber, this.bindings());
            // A failing sink must never break the caller's log line.
            for (const tap of taps) {
              try {
                tap(record);
              } catch {
                /* ignored */
              }
            }
          }
          return method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  Object.defineProperty(logger, TAPS, { value: taps });
  return logger;
}

const STDOUT_ONLY = Symbol.for('marketgraph.stdoutOnly');

/**
 * Marks a line's fields as already recorded elsewhere: it still goes to stdout, but no tap gets it. The masked
 * "unexpected error" and the failed operation's line are kept in error_logs (with the stack) by the activity log;
 * as system_logs rows too, one error showed three times in systemActivity. A symbol key: pino never writes it.
 */
export function stdoutOnly<T extends object>(fields: T): T {
  Object.defineProperty(fields, STDOUT_ONLY, { value: true });
  return fields;
}

function isStdoutOnly(fields: unknown): boolean {
  return typeof fields === 'object' && fields !== null && (fields as Record<symbol, unknown>)[STDOUT_ONLY] === true;
}

/**
 * Adds a sink for warn-and-above records of a logger made by createLogger and
 * its children; returns the function that removes it. Other loggers: no-op.
 */
export function tapLogger(logger: Logger, tap: LogTap): () => void {
  const taps = (logger as unknown as Record<symbol, Set<LogTap> | undefined>)[TAPS];
  if (!taps) return () => undefined;
  taps.add(tap);
  return () => void taps.delete(tap);
}
