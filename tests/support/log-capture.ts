import { createLogger, type Logger } from '../../src/log.js';

export interface CapturedLog {
  /** The app's real logger (redaction, request-id mixin), writing into `lines`. */
  logger: Logger;
  /** Every line written, raw, as it would reach stdout. */
  readonly raw: string[];
  /** The lines parsed; throws on a line that is not JSON (nothing unstructured may reach the stream). */
  lines(): Record<string, any>[];
  find(predicate: (line: Record<string, any>) => boolean): Record<string, any>[];
}

export function captureLog(level = 'debug'): CapturedLog {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void raw.push(...chunk.split('\n').filter(Boolean)) });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, any>);
  return { logger, raw, lines, find: (predicate) => lines().filter(predicate) };
}
