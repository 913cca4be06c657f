import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_VARIABLES_CHARS } from '../../src/http/graphql-handler.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';
import { scrape } from '../support/prometheus.js';

const OPERATION_SECONDS = 'marketgraph_graphql_operation_duration_seconds_count';
const REFUSED = { operation_name: '(anonymous)', operation_type: 'unknown', transport: 'http' };

let t: TestApp;
let log: CapturedLog;
beforeAll(async () => {
  log = captureLog('info');
  t = await startTestApp({ logger: log.logger });
});
afterAll(() => t?.close());

const operationLines = (requestId: string) => log.find((line) => line.msg.startsWith('graphql operation') && line.requestId === requestId);

async function send(requestId: string, body: string) {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId, 'apollographql-client-name': 'web' }, body });
  return { status: response.status, body: (await response.json()) as { errors: { extensions: Record<string, unknown> }[] } };
}

describe('requests refused before Apollo', () => {
  it('each get one operation log line with their error code, no operation name, and their request id in extensions.requestId', async () => {
    const refusals: [string, string, number, string][] = [
      ['refused-json', '{"query": ', 400, 'BAD_REQUEST'],
      ['refused-batch', JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), 400, 'BAD_REQUEST'],
      ['refused-variables', JSON.stringify({ query: 'query Big($v: String) { __typename }', variables: { v: 'x'.repeat(MAX_VARIABLES_CHARS) } }), 413, 'BAD_REQUEST'],
      ['refused-body', JSON.stringify({ query: '{ __typename }', variables: { v: 'x'.repeat(MAX_BODY_BYTES) } }), 413, 'BAD_REQUEST'],
      ['refused-document', JSON.stringify({ query: `query Long { ${'__typename '.repeat(1500)} }` }), 200, 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [requestId, body, status, code] of refusals) {
      const answer = await send(requestId, body);
      expect(answer.status).toBe(status);
      expect(answer.body.errors[0]!.extensions).toMatchObject({ code, requestId });
      if (requestId === 'refused-document') expect(answer.body.errors[0]!.extensions.limit).toBe('GRAPHQL_MAX_DOCUMENT_CHARS');
      expect(operationLines(requestId)).toEqual([
        expect.objectContaining({ level: 30, transport: 'http', operationName: null, operationType: null, userId: null, clientName: 'web', errorCodes: [code], durationMs: expect.any(Number) }),
      ]);
    }
  });

  it('are counted in the operation histogram under (anonymous) and unknown, and their errors by code', async () => {
    const before = await scrape(t.url.replace('/graphql', '/metrics'));
    await send('counted-json', 'not json at all');
    await send('counted-document', JSON.stringify({ query: `{ ${'__typename '.repeat(1500)} }` }));
    const after = await scrape(t.url.replace('/graphql', '/metrics'));
    const delta = (name: string, labels: Record<string, string>) => (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
    expect(delta(OPERATION_SECONDS, REFUSED)).toBe(2);
    expect(delta('marketgraph_graphql_errors_total', { code: 'BAD_REQUEST', transport: 'http' })).toBe(1);
    expect(delta('marketgraph_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED', transport: 'http' })).toBe(1);
  });
});
