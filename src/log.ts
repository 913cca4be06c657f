import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestScope } from './observability/request-id.js';

export type { Logger };

/**
 * Secrets that must never reach the log, wherever an object carrying them is logged (a request's headers, an
 * error's params, a job's options). `*` matches one level; the paths go two levels deep, which is as deep as
 * anything here logs. tests/observability/logs.test.ts greps a whole register/login/refresh session for them.
 */
export const REDACTED_PATHS = [
  'password', 'token', 'accessToken', 'refreshToken', 'apiKey', 'secret', 'authorization', 'cookie', 'jwtSecret',
  '*.password', '*.token', '*.accessToken', '*.refreshToken', '*.apiKey', '*.secret', '*.authorization', '*.cookie', '*.jwtSecret',
  '*.*.password', '*.*.token', '*.*.accessToken', '*.*.refreshToken', '*.*.apiKey', '*.*.authorization', '*.*.cookie',
  'headers["x-api-key"]', '*.headers["x-api-key"]',
];

/**
 * JSON lines on stdout. Written synchronously: an asynchronous buffer loses
 * the last lines (the shutdown record, the fatal error) when the process exits.
 * Every line written while a request is served carries its `requestId` (and
 * `traceId` from `traceparent`), so an error log names the request it broke.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: { service: 'marketgraph' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const scope = currentRequestScope();
        if (!scope) return {};
        return scope.traceId ? { requestId: scope.requestId, traceId: scope.traceId } : { requestId: scope.requestId };
      },
    },
    destination,
  );
}
