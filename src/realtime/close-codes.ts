/**
 * Close codes this server uses beyond graphql-ws's own (4400 bad request,
 * 4401 unauthorized, 4403 forbidden, 4408 init timeout, 4409 duplicate
 * subscriber id, 4429 too many init requests, 4500 internal error).
 */
export enum AppCloseCode {
  /** The access token the socket authenticated with expired (or was revoked): reconnect with a fresh one. */
  TokenExpired = 4403,
  /** The client stopped reading: its unsent messages passed the buffer limit. */
  SlowConsumer = 4413,
  /** More messages than WS_MESSAGE_RATE/s (burst WS_MESSAGE_BURST) on one socket. */
  TooManyMessages = 4429,
  /** WS_MAX_SOCKETS_PER_IP or WS_MAX_SOCKETS_PER_USER open sockets already. */
  TooManySockets = 4430,
  /** The server is shutting down; reconnect to another process. */
  GoingAway = 1001,
}
