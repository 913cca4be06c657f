import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, tapLogger, type LogRecord } from './log.js';
import { runInRequestScope } from './observability/request-id.js';

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('the log taps', () => {
  it('hand a tap the record with its secrets censored at any depth, as stdout gets it', () => {
    const logger = createLogger('info', discard);
    const seen: LogRecord[] = [];
    tapLogger(logger, (record) => seen.push(record));
    logger.warn({ headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'mg_secret' }, deep: { a: { b: { refreshToken: 'r1' } } }, symbol: 'AAPL' }, 'odd request');
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen[0])).not.toMatch(/abc\.def|mg_secret|r1/);
    expect(seen[0]!.fields).toMatchObject({ headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' }, symbol: 'AAPL' });
  });

  it('give a tap the request id of the request the line was written in', () => {
    const logger = createLogger('info', discard);
    const seen: LogRecord[] = [];
    tapLogger(logger, (record) => seen.push(record));
    runInRequestScope({ requestId: 'req-42' }, () => logger.error('broken'));
    logger.warn('outside any request');
    expect(seen.map((record) => record.bindings.requestId)).toEqual(['req-42', undefined]);
  });
});
