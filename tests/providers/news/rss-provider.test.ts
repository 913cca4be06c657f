import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../src/providers/http-json.js';
import { memoryValidatorStore } from '../../../src/providers/news/news-provider.js';
import { parseFeed, RssNewsProvider } from '../../../src/providers/news/rss-provider.js';
import { captureLog, type CapturedLog } from '../../support/log-capture.js';
import { conditional, fixture, hang, reply, sequence, startFakeNewsServer, type FakeNewsServer } from './news-server.js';

const POLICY: RetryPolicy = { retries: 2, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 2_000 };
const RSS = fixture('ok/rss2.xml');
const ATOM = fixture('ok/atom.xml');

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

const provider = (paths: string[], policy = POLICY, validators = memoryValidatorStore()) =>
  new RssNewsProvider(paths.map((p) => server.url(p)), validators, log.logger, policy, async (ms) => void sleeps.push(ms));
const errors = () => log.find((line) => line.level >= 50).map((line) => line.msg as string);

describe('RSS and Atom feeds', () => {
  it('reads an RSS 2.0 feed: plain-text titles and summaries, the link (or a permalink guid), the date; items without link or date left out', async () => {
    server.routes.set('/rss', reply(200, RSS, { 'content-type': 'application/rss+xml' }));
    const articles = await provider(['/rss']).fetch();
    expect(articles).toEqual([
      {
        title: 'Apple beats estimates as iPhone sales climb & services grow',
        url: 'https://wire.example/markets/apple-beats-estimates?utm_source=rss',
        summary: 'Apple Inc. reported record quarterly revenue.',
        publishedAt: new Date('2026-12-01T21:05:00Z'),
        source: 'Example Markets Wire',
      },
      {
        title: 'Microsoft & OpenAI extend partnership',
        url: 'https://wire.example/markets/microsoft-openai',
        summary: 'The companies agreed a multi-year extension. Terms were not disclosed.',
        publishedAt: new Date('2026-12-01T14:30:00Z'),
        source: 'Partner Desk',
      },
      {
        title: 'Nvidia shares slide after export curbs',
        url: 'https://wire.example/markets/nvidia-export-curbs',
        summary: null,
        publishedAt: new Date('2026-11-30T21:45:00Z'),
        source: 'Example Markets Wire',
      },
    ]);
    expect(server.requests[0]!.headers.accept).toContain('application/rss+xml');
  });

  it('reads an Atom feed: the alternate link, published (or updated) date, summary or content', async () => {
    server.routes.set('/atom', reply(200, ATOM, { 'content-type': 'application/atom+xml' }));
    const articles = await provider(['/atom']).fetch();
    expect(articles).toEqual([
      {
        title: 'Amazon opens new logistics hub',
        url: 'https://journal.example/2026/12/amazon-logistics-hub',
        summary: 'The site will employ 2,000 people.',
        publishedAt: new Date('2026-12-01T09:15:00Z'),
        source: 'Example Tech Journal',
      },
      {
        title: 'Alphabet unveils new AI chips',
        url: 'https://journal.example/2026/12/alphabet-ai-chips',
        summary: "Google's parent showed its latest accelerator.",
        publishedAt: new Date('2026-11-30T20:00:00Z'),
        source: 'Example Tech Journal',
      },
    ]);
  });

  it('sends the ETag and Last-Modified of the last answer back, and a 304 yields no articles', async () => {
    const validators = { etag: '"v1-abc"', lastModified: 'Tue, 01 Dec 2026 21:10:00 GMT' };
    server.routes.set('/rss', conditional(RSS, validators));
    const store = memoryValidatorStore();
    const feed = provider(['/rss'], POLICY, store);
    expect(await feed.fetch()).toHaveLength(3);
    expect(await feed.fetch()).toEqual([]);
    expect(server.requests.map((r) => [r.headers['if-none-match'], r.headers['if-modified-since']])).toEqual([
      [undefined, undefined],
      [validators.etag, validators.lastModified],
    ]);
    expect(errors()).toEqual([]);
  });

  it('keeps no validators from an answer it could not parse, so the next run fetches the feed in full', async () => {
    server.routes.set('/rss', sequence(reply(200, fixture('not-ok/malformed.xml'), { etag: '"broken"' }), reply(200, RSS)));
    const feed = provider(['/rss']);
    expect(await feed.fetch()).toEqual([]);
    expect(await feed.fetch()).toHaveLength(3);
    expect(server.requests[1]!.headers['if-none-match']).toBeUndefined();
  });

  it('retries a 503 and returns what the following 200 carries', async () => {
    server.routes.set('/rss', sequence(reply(503, 'busy'), reply(200, RSS)));
    expect(await provider(['/rss']).fetch()).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(errors()).toEqual([]);
  });

  it('gives up on a feed that never answers with an error naming the timeout, and still reads the other feeds', async () => {
    server.routes.set('/slow', hang);
    server.routes.set('/atom', reply(200, ATOM));
    const articles = await provider(['/slow', '/atom'], { ...POLICY, retries: 1, timeoutMs: 1_000 }).fetch();
    expect(articles.map((a) => a.source)).toEqual(['Example Tech Journal', 'Example Tech Journal']);
    expect(server.requests.filter((r) => r.path === '/slow')).toHaveLength(2);
    expect(errors()).toEqual([expect.stringMatching(/\/slow skipped: rss: GET http:\/\/127\.0\.0\.1:\d+\/slow failed after 2 attempts: timed out after 1000 ms$/)]);
  });

  it('reports malformed XML with its position and a document that is no feed, without throwing', async () => {
    server.routes.set('/broken', reply(200, fixture('not-ok/malformed.xml')));
    server.routes.set('/html', reply(200, fixture('not-ok/not-a-feed.xml')));
    server.routes.set('/rss', reply(200, RSS));
    const articles = await provider(['/broken', '/html', '/rss']).fetch();
    expect(articles).toHaveLength(3);
    const messages = errors();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/\/broken skipped: malformed XML at line \d+, column \d+/);
    expect(messages[1]).toMatch(/\/html skipped: neither an RSS 2.0 <rss><channel> nor an Atom <feed> document/);
  });

  it('skips a feed that answers 404 and says so', async () => {
    expect(await provider(['/missing']).fetch()).toEqual([]);
    expect(errors()).toEqual([expect.stringContaining('answered HTTP 404; skipped')]);
    expect(server.requests).toHaveLength(1);
  });

  it('throws FeedFormatError from parseFeed for malformed XML (the provider catches it)', () => {
    expect(() => parseFeed(fixture('not-ok/malformed.xml'), 'https://broken.example/rss')).toThrow(/malformed XML/);
  });
});
