import { pino, type Logger } from 'pino';

export type { Logger };

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

function toRecord(args: unknown[], levelNumber: number, bindings: Record<string, unknown>): LogRecord {
  const [first, second] = args;
  const fields = first && typeof first === 'object' ? (first instanceof Error ? { err: first } : (first as Record<string, unknown>)) : {};
  const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : fields.err instanceof Error ? fields.err.message : '';
  return { level: pino.levels.labels[levelNumber] ?? String(levelNumber), msg, fields, bindings };
}

/**
 * JSON lines on stdout. Written synchronously: an asynchronous buffer loses
 * the last lines (the shutdown record, the fatal error) when the process exits.
 * Records at warn and above are also handed to the taps added by tapLogger
 * (only those the level lets through). `destination`: tests write elsewhere.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  const taps = new Set<LogTap>();
  const logger = pino(
    {
      level,
      base: { service: 'marketgraph' },
      hooks: {
        logMethod(args, method, levelNumber) {
          if (taps.size > 0 && levelNumber >= WARN) {
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
