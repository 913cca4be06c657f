import { GraphQLError } from 'graphql';

/**
 * Domain errors: one class per extension code, so a client can branch on
 * `extensions.code` and a resolver cannot misspell it.
 */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'You must be signed in to do this') {
    super(message, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message = 'You are not allowed to do this') {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

export class RateLimitedError extends GraphQLError {
  /** `retryAfter`: whole seconds until a retry can succeed (the Retry-After header carries the same). */
  constructor(retryAfter: number, message = `Too many requests; retry in ${retryAfter} s`) {
    super(message, {
      extensions: { code: 'RATE_LIMITED', retryAfter },
    });
  }
}

/** A dependency (a database) is down, frozen or out of connections; the client may retry shortly. */
export class ServiceUnavailableError extends GraphQLError {
  constructor(message: string, service?: string) {
    super(message, { extensions: { code: 'SERVICE_UNAVAILABLE', ...(service ? { service } : {}) } });
  }
}

/** A cash withdrawal, transfer or buy would take a portfolio's cash below zero; nothing was written. */
export class InsufficientFundsError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'INSUFFICIENT_FUNDS' } });
  }
}

/** A sell of more than the portfolio holds, in a portfolio that does not allow short positions; nothing was written. */
export class InsufficientPositionError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'INSUFFICIENT_POSITION' } });
  }
}
