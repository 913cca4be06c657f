import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../src/providers/http-json.js';
import { memoryValidatorStore } from '../../../src/providers/news/news-provider.js';
import { NewsApiProvider } from '../../../src/providers/news/newsapi-provider.js';
import { captureLog, type CapturedLog } from '../../support/log-capture.js';
import { conditional, fixture, hang, reply, sequence, startFakeNewsServer, type FakeNewsServer } from './news-server.js';

const POLICY: RetryPolicy = { retries: 2, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 2_000 };
const OK = fixture('ok/newsapi.json');
const JSON_TYPE = { 'content-type': 'application/json' };
const PATH = '/v2/top-headlines';

let server: FakeNewsServer;
let log: CapturedLog;
const sleeps: number[] = [];
beforeAll(async () => {
  server = await startFakeNewsServer();
});
afterAll(() => server?.close());
beforeEach(() => {
  server.routes.clear();
  server.requests.length = 0;
  sleeps.length = 0;
  log = captureLog('debug');
});

const provider = (policy = POLICY, validators = memoryValidatorStore()) =>
  new NewsApiProvider(server.url('/v2'), 'test-key-123', validators, log.logger, policy, async (ms) => void sleeps.push(ms));
const errors = () => log.find((line) => line.level >= 50).map((line) => line.msg as string);

describe('NewsAPI', () => {
  it('asks for business headlines with the key in X-Api-Key and reads the articles, leaving out withdrawn ones', async () => {
    server.routes.set(PATH, reply(200, OK, JSON_TYPE));
    const articles = await provider().fetch();
    expect(articles).toEqual([
      {
        title: 'Tesla deliveries top forecasts in fourth quarter',
        url: 'https://business.example/tesla-deliveries',
        summary: 'Tesla delivered more vehicles than analysts expected.',
        publishedAt: new Date('2026-12-01T13:00:00Z'),
        source: 'Example Business',
      },
      {
        title: 'JPMorgan raises dividend',
        url: 'https://finance.example/jpm-dividend',
        summary: null,
        publishedAt: new Date('2026-11-30T22:10:00Z'),
        source: 'finance.example',
      },
    ]);
    const [request] = server.requests;
    expect(request!.headers['x-api-key']).toBe('test-key-123');
    expect(request!.headers.accept).toBe('application/json');
  });

  it('reports the API’s own error message (an invalid key) and returns no articles, without retrying a 401', async () => {
    server.routes.set(PATH, reply(401, fixture('not-ok/newsapi-error.json'), JSON_TYPE));
    expect(await provider().fetch()).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(errors()).toEqual([expect.stringContaining('newsapi headlines skipped: HTTP 401: Your API key is invalid')]);
  });

  it('reports an error body under a 200 and an answer without articles', async () => {
    server.routes.set(PATH, sequence(reply(200, fixture('not-ok/newsapi-error.json'), JSON_TYPE), reply(200, fixture('not-ok/newsapi-no-articles.json'), JSON_TYPE), reply(200, '<html>', JSON_TYPE)));
    const newsapi = provider();
    for (let i = 0; i < 3; i++) expect(await newsapi.fetch()).toEqual([]);
    expect(errors()).toEqual([
      expect.stringContaining('NewsAPI error apiKeyInvalid: Your API key is invalid'),
      expect.stringContaining('answer has no "articles" list'),
      expect.stringContaining('HTTP 200 with a body that is not JSON'),
    ]);
  });

  it('sends the validators back and yields nothing on 304', async () => {
    const validators = { etag: 'W/"news-1"', lastModified: 'Tue, 01 Dec 2026 13:05:00 GMT' };
    server.routes.set(PATH, conditional(OK, validators, 'application/json'));
    const newsapi = provider();
    expect(await newsapi.fetch()).toHaveLength(2);
    expect(await newsapi.fetch()).toEqual([]);
    expect(server.requests[1]!.headers['if-none-match']).toBe(validators.etag);
    expect(server.requests[1]!.headers['if-modified-since']).toBe(validators.lastModified);
  });

  it('retries a 503 (honouring Retry-After) and a hanging answer, then reads the 200', async () => {
    server.routes.set(PATH, sequence(reply(503, '{}', { ...JSON_TYPE, 'retry-after': '1' }), hang, reply(200, OK, JSON_TYPE)));
    expect(await provider({ ...POLICY, timeoutMs: 1_000 }).fetch()).toHaveLength(2);
    expect(server.requests).toHaveLength(3);
    expect(sleeps[0]).toBe(1_000);
  });

  it('gives up after the last attempt times out, naming the timeout', async () => {
    server.routes.set(PATH, hang);
    expect(await provider({ ...POLICY, retries: 0, timeoutMs: 500 }).fetch()).toEqual([]);
    expect(errors()).toEqual([expect.stringMatching(/failed after 1 attempt: timed out after 500 ms$/)]);
  });
});
