import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/market-data-provider.js';
import { YahooProvider, type YahooProviderOptions } from '../../src/providers/yahoo-provider.js';
import { chart, hang, json, NOT_FOUND_BODY, sequence, startFakeYahoo, type FakeYahoo } from './yahoo-server.js';

let yahoo: FakeYahoo;
beforeAll(async () => {
  yahoo = await startFakeYahoo();
});
afterAll(() => yahoo?.close());
beforeEach(() => {
  yahoo.routes.clear();
  yahoo.requests.length = 0;
});

const sleeps: number[] = [];
function provider(options: YahooProviderOptions = {}) {
  sleeps.length = 0;
  return new YahooProvider({
    baseUrl: `${yahoo.baseUrl}/`,
    retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 2_000 },
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
}
const day = (date: string) => new Date(`${date}T00:00:00Z`);

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('YahooProvider.history', () => {
  it('maps a chart response into daily candles stamped at UTC midnight, asking for the right period', async () => {
    yahoo.routes.set('AAPL', json(200, chart('AAPL', ['2024-01-02', '2024-01-03'], [
      [187.14999389648438, 188.44000244140625, 183.88499450683594, 185.63999938964844, 82488700, 184.9381866455078],
      [184.22000122070312, 185.8800048828125, 183.42999267578125, 184.25, 58414500, 183.5533905029297],
    ])));
    expect(await provider().history('AAPL', 'DAY', day('2024-01-02'), day('2024-01-03'))).toEqual([
      { ts: day('2024-01-02'), open: '187.15', high: '188.44', low: '183.885', close: '185.64', adjClose: '184.9382', volume: '82488700' },
      { ts: day('2024-01-03'), open: '184.22', high: '185.88', low: '183.43', close: '184.25', adjClose: '183.5534', volume: '58414500' },
    ]);
    // period2 reaches past the last day's session start.
    expect(yahoo.requests).toEqual([`/v8/finance/chart/AAPL?interval=1d&period1=${day('2024-01-02').getTime() / 1000}&period2=${day('2024-01-04').getTime() / 1000}`]);
  });

  it('skips rows whose prices are null (missing bars) and reads a null volume as 0', async () => {
    yahoo.routes.set('MSFT', json(200, chart('MSFT', ['2024-01-02', '2024-01-03', '2024-01-04'], [
      [373.86, 375.9, 366.77, 370.87, 25258600, 368.1],
      [null, null, null, null, null, null],
      [370.66, 373.1, 369.51, 370.6, null, null],
    ])));
    const candles = await provider().history('MSFT', 'DAY', day('2024-01-01'), day('2024-01-05'));
    expect(candles.map((c) => [c.ts.toISOString().slice(0, 10), c.close, c.adjClose, c.volume])).toEqual([
      ['2024-01-02', '370.87', '368.1', '25258600'],
      ['2024-01-04', '370.6', null, '0'],
    ]);
  });

  it('keeps intraday bars at their own times and asks for 1h bars', async () => {
    const body = chart('AAPL', ['2024-01-02'], [[187.15, 188, 187, 187.5, 1000, null]]);
    yahoo.routes.set('AAPL', json(200, body));
    const [bar] = await provider().history('AAPL', 'HOUR', new Date('2024-01-02T14:00:00Z'), new Date('2024-01-02T21:00:00Z'));
    expect(bar!.ts).toEqual(new Date('2024-01-02T14:30:00Z'));
    expect(yahoo.requests[0]).toMatch(/interval=1h&/);
  });

  it('turns Yahoo’s error shape into a ProviderError naming the symbol', async () => {
    yahoo.routes.set('GONE', json(404, NOT_FOUND_BODY));
    const error = await failure(provider().history('GONE', 'DAY', day('2024-01-01'), day('2024-01-31')));
    expect(error.message).toBe('yahoo: GONE: No data found, symbol may be delisted (Not Found)');
    expect([error.symbol, error.status, yahoo.requests.length]).toEqual(['GONE', 404, 1]);
  });

  it('returns [] for an empty result', async () => {
    yahoo.routes.set('EMPTY', json(200, { chart: { result: [{ meta: { symbol: 'EMPTY' }, indicators: { quote: [{}] } }], error: null } }));
    yahoo.routes.set('NONE', json(200, { chart: { result: [], error: null } }));
    expect(await provider().history('EMPTY', 'DAY', day('2024-01-01'), day('2024-01-31'))).toEqual([]);
    expect(await provider().history('NONE', 'DAY', day('2024-01-01'), day('2024-01-31'))).toEqual([]);
  });

  it('retries a 500 and a 429 with growing, jittered backoff, then succeeds', async () => {
    yahoo.routes.set('AAPL', sequence(json(500, { error: 'boom' }), json(429, {}, { 'retry-after': '0' }), json(200, chart('AAPL', ['2024-01-02'], [[1, 2, 0.5, 1.5, 10, null]]))));
    const candles = await provider({ retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 2_000 } }).history('AAPL', 'DAY', day('2024-01-02'), day('2024-01-02'));
    expect(candles).toHaveLength(1);
    expect(yahoo.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after its retries when the server keeps failing', async () => {
    yahoo.routes.set('AAPL', json(503, {}));
    const error = await failure(provider().history('AAPL', 'DAY', day('2024-01-02'), day('2024-01-02')));
    expect(error.message).toMatch(/^yahoo: AAPL: GET http:\/\/127\.0\.0\.1:\d+\/v8\/finance\/chart\/AAPL failed after 3 attempts: HTTP 503$/);
    expect(yahoo.requests).toHaveLength(3);
  });

  it('times out a request that hangs, and retries it', async () => {
    yahoo.routes.set('SLOW', hang);
    const slow = provider({ retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 150 } });
    const started = Date.now();
    const error = await failure(slow.history('SLOW', 'DAY', day('2024-01-02'), day('2024-01-02')));
    expect(error.message).toMatch(/failed after 2 attempts: timed out after 150 ms$/);
    expect(yahoo.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not retry a plain 404', async () => {
    const error = await failure(provider().history('UNROUTED', 'DAY', day('2024-01-02'), day('2024-01-02')));
    expect(error.message).toBe('yahoo: UNROUTED: HTTP 404');
    expect(yahoo.requests).toHaveLength(1);
  });

  it('reports a network error (nothing listening) after retrying', async () => {
    const other = await startFakeYahoo();
    await other.close(); // its port now refuses connections
    const closed = new YahooProvider({ baseUrl: other.baseUrl, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 1_000 }, sleep: async () => {} });
    const error = await failure(closed.history('AAPL', 'DAY', day('2024-01-02'), day('2024-01-02')));
    expect(error.message).toMatch(/failed after 2 attempts: fetch failed: .*ECONNREFUSED/);
  });

  it('asks for share classes the way Yahoo spells them (BRK.B -> BRK-B)', async () => {
    yahoo.routes.set('BRK-B', json(200, chart('BRK-B', ['2024-01-02'], [[360, 362, 358, 361, 100, null]])));
    expect(await provider().history('BRK.B', 'DAY', day('2024-01-02'), day('2024-01-02'))).toHaveLength(1);
  });
});

describe('YahooProvider.quotes', () => {
  const quote = (price: number, time: string, volume: number) =>
    json(200, { chart: { result: [{ meta: { regularMarketPrice: price, regularMarketTime: Date.parse(time) / 1000, regularMarketVolume: volume, gmtoffset: -18000 } }], error: null } });

  it('reads meta.regularMarketPrice and Time, turning the day’s cumulative volume into volume since the last tick', async () => {
    const yahooProvider = provider();
    yahoo.routes.set('AAPL', sequence(
      quote(190.1, '2025-03-05T15:00:00Z', 1_000_000),
      quote(190.25, '2025-03-05T15:00:05Z', 1_000_600),
      quote(190.25, '2025-03-05T15:00:05Z', 1_000_600), // nothing new: no tick
    ));
    yahoo.routes.set('GONE', json(404, NOT_FOUND_BODY));
    const errors: string[] = [];
    const withErrors = new YahooProvider({ baseUrl: yahoo.baseUrl, onQuoteError: (e) => errors.push(e.message) });

    expect(await withErrors.quotes(['AAPL', 'GONE'])).toEqual([
      // First sight: earlier volume of the day may already be stored, so none is counted.
      { symbol: 'AAPL', price: '190.1', volume: 0, timestamp: new Date('2025-03-05T15:00:00Z') },
    ]);
    expect(errors).toEqual(['yahoo: GONE: No data found, symbol may be delisted (Not Found)']);
    expect(await withErrors.quotes(['AAPL'])).toEqual([{ symbol: 'AAPL', price: '190.25', volume: 600, timestamp: new Date('2025-03-05T15:00:05Z') }]);
    expect(await withErrors.quotes(['AAPL'])).toEqual([]);
    expect(yahoo.requests.filter((r) => r.startsWith('/v8/finance/chart/AAPL'))[0]).toBe('/v8/finance/chart/AAPL?interval=1d&range=1d');
    await expect(yahooProvider.quotes(['GONE'])).rejects.toThrow('yahoo: GONE: No data found');
  });
});
