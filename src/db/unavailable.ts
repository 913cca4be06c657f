import { ServiceUnavailableError } from '../graphql/errors.js';
import type { DatabaseName } from '../paths.js';

// Prisma: P1001 can't reach, (P2028 "Unable to start a transaction in the given time": by message, since P2028 also
// covers a transaction that ran past its own timeout, which is a bug to see, not an outage), P1002 timed out, P1008 operation timed out, P1017 server closed, P2024 pool timeout.
// PostgreSQL: class 08 connection exception, 53300 too many connections, 57014 statement timeout, 57P0x shutdown.
const CODES = /^(P1001|P1002|P1008|P1017|P2024|08\w{3}|53300|57014|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE)$/;
const KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const MESSAGES =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection timeout|ECONNREFUSED|ECONNRESET|canceling statement due to statement timeout|too many clients|the database system is (shutting down|starting up)|terminating connection|Can't reach database|Client has encountered a connection error|Pool is closed|Cannot use a pool after calling end|Unable to start a transaction in the given time/i;

/** Whether an error means the database could not answer (down, frozen, out of connections), not that the query was wrong. */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
  if (typeof e.code === 'string' && CODES.test(e.code)) return true;
  if (typeof e.originalCode === 'string' && CODES.test(e.originalCode)) return true;
  if (typeof e.kind === 'string' && KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  return isConnectionFailure(e.cause, depth + 1);
}

export function databaseUnavailable(name: DatabaseName): ServiceUnavailableError {
  return new ServiceUnavailableError(`The ${name} database is unavailable; try again shortly`, `${name}Db`);
}

/** Rethrows connection-class failures as SERVICE_UNAVAILABLE naming the database; anything else unchanged. */
export function mapDatabaseError(name: DatabaseName, error: unknown): never {
  if (isConnectionFailure(error)) throw databaseUnavailable(name);
  throw error;
}
