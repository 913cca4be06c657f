import { GraphQLError } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BadUserInputError } from './errors.js';
import { formatError } from './format-error.js';

const silent = pino({ level: 'silent' });
const format = formatError(silent);
const formatted = (error: GraphQLError) => format({ message: error.message, path: ['x'], extensions: error.extensions }, error);

describe('formatError', () => {
  it('passes a client error through without its stack trace', () => {
    const error = new BadUserInputError('amount: must be positive', 'amount');
    expect(format({ message: error.message, extensions: { ...error.extensions, stacktrace: ['at x'] } }, error)).toEqual({
      message: 'amount: must be positive',
      extensions: { code: 'BAD_USER_INPUT', field: 'amount' },
    });
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR with no detail', () => {
    const error = new GraphQLError('relation "portfolio" does not exist at 10.0.0.5', { originalError: new Error('relation "portfolio" does not exist') });
    expect(formatted(error)).toEqual({ message: 'Internal server error', path: ['x'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it.each([
    ['a refused connection deep in the causes', Object.assign(new Error('driver failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) })],
    ["Prisma's transaction that could not start in time", Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { code: 'P2028' })],
  ])('answers %s, which no database hook mapped, with SERVICE_UNAVAILABLE', (_, original) => {
    const error = new GraphQLError('Unexpected error.', { path: ['x'], originalError: original });
    expect(formatted(error)).toEqual({ message: 'A database is unavailable; try again shortly', path: ['x'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('does not take a transaction that ran past its own timeout (also P2028) for an outage', () => {
    const original = Object.assign(new Error('Transaction API error: Transaction already closed: the timeout for this transaction was 5000 ms'), { code: 'P2028' });
    expect(formatted(new GraphQLError('x', { path: ['x'], originalError: original })).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
