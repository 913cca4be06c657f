import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { createSentimentAnalyzer } from '../../../src/providers/sentiment/index.js';
import { createLexiconAnalyzer, scoreText } from '../../../src/providers/sentiment/lexicon-analyzer.js';
import { createLlmAnalyzer, LLM_BATCH_SIZE } from '../../../src/providers/sentiment/llm-analyzer.js';
import { captureLog } from '../../support/log-capture.js';

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

/** Plays an OpenAI-compatible endpoint: `reply` answers each request; the requests are kept. */
type Reply = (request: ChatRequest, res: ServerResponse) => void;
let reply: Reply;
const received: { body: ChatRequest; authorization: string | undefined; path: string }[] = [];
let server: Server;
let baseUrl: string;

const completion = (content: string) => ({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content } }] });
const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
/** The numbered texts of a request, as the adapter sent them. */
const textsOf = (request: ChatRequest) => request.messages.at(-1)!.content.split('\n').map((line) => line.replace(/^\d+\. /, ''));
/** A model that calls everything with "profit" in it POSITIVE 0.9 and the rest NEGATIVE -0.6. */
const goodModel: Reply = (request, res) =>
  sendJson(res, 200, completion(JSON.stringify({
    results: textsOf(request).map((text, index) => (/profit/i.test(text) ? { index, label: 'POSITIVE', score: 0.9 } : { index, label: 'NEGATIVE', score: -0.6 })),
  })));

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as ChatRequest;
      received.push({ body, authorization: req.headers.authorization, path: req.url ?? '' });
      reply(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  reply = goodModel;
});

function analyzer(timeoutMs = 2_000) {
  const log = captureLog('warn');
  const config = loadConfig({ SENTIMENT_LLM_URL: baseUrl, SENTIMENT_LLM_MODEL: 'tiny-fin', SENTIMENT_LLM_API_KEY: 'sk-test-123', SENTIMENT_LLM_TIMEOUT_MS: String(timeoutMs) });
  return { analyzer: createSentimentAnalyzer(config, log.logger), log };
}

const HEADLINES = ['Acme posts record profit', 'Acme shares slump after probe'];

describe('the LLM sentiment adapter', () => {
  it('scores each text from the model’s JSON and names the model as the analyzer', async () => {
    const { analyzer: llm } = analyzer();
    expect(llm.name).toBe('llm:tiny-fin');
    expect(await llm.score(HEADLINES)).toEqual([
      { label: 'POSITIVE', score: 0.9, analyzer: 'llm:tiny-fin' },
      { label: 'NEGATIVE', score: -0.6, analyzer: 'llm:tiny-fin' },
    ]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/v1/chat/completions', authorization: 'Bearer sk-test-123', body: { model: 'tiny-fin' } });
    expect(textsOf(received[0]!.body)).toEqual(HEADLINES);
  });

  it('sends texts in batches and keeps their order across batches', async () => {
    const { analyzer: llm } = analyzer();
    const texts = Array.from({ length: LLM_BATCH_SIZE + 3 }, (_, i) => (i % 2 ? `Acme profit ${i}` : `Acme loss ${i}`));
    const scores = await llm.score(texts);
    expect(received).toHaveLength(2);
    expect(scores.map((s) => s.label)).toEqual(texts.map((_, i) => (i % 2 ? 'POSITIVE' : 'NEGATIVE')));
  });

  it('falls back to the lexicon for the whole batch when the model answers malformed JSON', async () => {
    reply = (_request, res) => sendJson(res, 200, completion('Sure! Here are the scores: POSITIVE, NEGATIVE'));
    const { analyzer: llm, log } = analyzer();
    expect(await llm.score(HEADLINES)).toEqual(HEADLINES.map(scoreText));
    expect(log.find((line) => line.msg.includes('batch failed'))[0]).toMatchObject({ reason: 'the model did not answer JSON' });
  });

  it('falls back for the whole batch when the JSON has the wrong shape, and for one text when only its entry is invalid', async () => {
    reply = (_request, res) => sendJson(res, 200, completion(JSON.stringify({ scores: [0.9, -0.6] })));
    expect((await analyzer().analyzer.score(HEADLINES)).map((s) => s.analyzer)).toEqual(['lexicon', 'lexicon']);

    reply = (_request, res) =>
      sendJson(res, 200, completion('```json\n' + JSON.stringify({ results: [{ index: 0, label: 'POSITIVE', score: 7 }, { index: 1, label: 'NEGATIVE', score: -0.5 }] }) + '\n```'));
    const scores = await analyzer().analyzer.score(HEADLINES);
    expect(scores).toEqual([scoreText(HEADLINES[0]!), { label: 'NEGATIVE', score: -0.5, analyzer: 'llm:tiny-fin' }]);
  });

  it('scores a text the model left out, or named twice, with the lexicon', async () => {
    reply = (_request, res) =>
      sendJson(res, 200, completion(JSON.stringify({ results: [
        { index: 1, label: 'NEGATIVE', score: -0.4 },
        { index: 2, label: 'POSITIVE', score: 0.2 }, { index: 2, label: 'NEGATIVE', score: -0.2 },
      ] })));
    const texts = [...HEADLINES, 'Acme unveils new logo'];
    const scores = await analyzer().analyzer.score(texts);
    expect(scores.map((s) => s.analyzer)).toEqual(['lexicon', 'llm:tiny-fin', 'lexicon']);
    expect(scores[0]).toEqual(scoreText(texts[0]!));
  });

  it('falls back when the endpoint answers 500', async () => {
    reply = (_request, res) => sendJson(res, 500, { error: { message: 'model overloaded' } });
    const { analyzer: llm, log } = analyzer();
    expect(await llm.score(HEADLINES)).toEqual(HEADLINES.map(scoreText));
    expect(log.find((line) => line.msg.includes('batch failed'))[0]).toMatchObject({ reason: 'HTTP 500' });
    expect(log.raw.join('\n')).not.toContain('sk-test-123');
  });

  it('gives up on a slow endpoint after the timeout and scores with the lexicon', async () => {
    reply = (request, res) => void setTimeout(() => goodModel(request, res), 3_000).unref();
    const { analyzer: llm, log } = analyzer(200);
    expect(await llm.score(HEADLINES)).toEqual(HEADLINES.map(scoreText));
    expect(log.find((line) => line.msg.includes('batch failed'))[0]).toMatchObject({ reason: 'no answer within 200 ms' });
  });

  it('falls back when the endpoint cannot be reached at all', async () => {
    const log = captureLog('warn');
    const llm = createLlmAnalyzer({ url: 'http://127.0.0.1:1/v1/chat/completions', model: 'm', timeoutMs: 1_000 }, { fallback: createLexiconAnalyzer(), logger: log.logger });
    expect((await llm.score(HEADLINES)).map((s) => s.analyzer)).toEqual(['lexicon', 'lexicon']);
  });
});

describe('SENTIMENT_LLM_* configuration', () => {
  it('uses the lexicon analyzer when no URL is set', () => {
    expect(createSentimentAnalyzer(loadConfig({}), captureLog().logger).name).toBe('lexicon');
  });

  it('keeps a full /chat/completions URL as given', () => {
    const config = loadConfig({ SENTIMENT_LLM_URL: 'http://llm.local/v1/chat/completions/', SENTIMENT_LLM_MODEL: 'm' });
    expect(config.sentimentLlm).toEqual({ url: 'http://llm.local/v1/chat/completions', apiKey: undefined, model: 'm', timeoutMs: 15_000 });
  });

  it('refuses a URL without a model, a model without a URL, a bad URL and a bad timeout with a ConfigError', () => {
    expect(() => loadConfig({ SENTIMENT_LLM_URL: 'http://llm.local/v1' })).toThrow(
      new ConfigError('Invalid environment variable SENTIMENT_LLM_MODEL: required when SENTIMENT_LLM_URL is set'),
    );
    expect(() => loadConfig({ SENTIMENT_LLM_MODEL: 'm' })).toThrow(/SENTIMENT_LLM_URL: required when SENTIMENT_LLM_MODEL/);
    expect(() => loadConfig({ SENTIMENT_LLM_URL: 'ftp://llm.local', SENTIMENT_LLM_MODEL: 'm' })).toThrow(/SENTIMENT_LLM_URL: expected an http\(s\):\/\/ URL/);
    expect(() => loadConfig({ SENTIMENT_LLM_URL: 'http://llm.local', SENTIMENT_LLM_MODEL: 'm', SENTIMENT_LLM_TIMEOUT_MS: 'soon' })).toThrow(
      /SENTIMENT_LLM_TIMEOUT_MS: expected a whole number/,
    );
  });
});
