/**
 * Close codes this server uses beyond graphql-ws's own (4400 bad request,
 * 4401 unauthorized, 4403 forbidden, 4408 init timeout, 4409 duplicate
 * subscriber id, 4429 too many init requests, 4500 internal error).
 */
export enum AppCloseCode {
  /** The client stopped reading: its unsent messages passed the buffer limit. */
  SlowConsumer = 4413,
  /** The server is shutting down; reconnect to another process. */
  GoingAway = 1001,
}
