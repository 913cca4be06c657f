import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../examples/web/serve.mjs';
import { publishIndicators } from '../../src/modules/live/live.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { inCi } from '../support/servers.js';

/**
 * The React + Apollo example (examples/web) built with Vite, served by its own
 * serve.mjs and driven in Debian's chromium against a test API: sign up, make a
 * watchlist, add two stocks, watch a published tick land on screen; then the
 * stock search (infinite scroll) and a stock page with its candle chart; the
 * stock page live (price, last candle, indicator tiles); a paper portfolio (deposit, an order
 * that fills on a tick, positions, live value, donut, value chart); the bundle's production mode.
 * Same skip rules as the playground test.
 */
const CHROMIUM = '/usr/bin/chromium';
const EXAMPLE = fileURLToPath(new URL('../../examples/web/', import.meta.url));
const SCREENSHOT_DIR = new URL('../../test-output/', import.meta.url);

// What the page functions below use (tsconfig has no DOM lib).
declare const localStorage: { getItem(key: string): string | null };

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (inCi) throw new Error(`CI=true but ${CHROMIUM} does not exist: CI must run the browser test (apt-get install chromium)`);
  console.warn(`skipping the web example browser test: ${CHROMIUM} does not exist (apt-get install chromium)`);
}

/** AAPL, MSFT, NVDA and 25 filler stocks (two pages of 20 in the search), each with 60 daily candles up to yesterday. */
function fixture(): string {
  const stocks: [string, string, number][] = [
    ['AAPL', 'Apple Inc.', 190],
    ['MSFT', 'Microsoft Corporation', 400],
    ['NVDA', 'NVIDIA Corporation', 120],
  ];
  for (let i = 0; i < 25; i++) stocks.push([`TST${String.fromCharCode(65 + i)}`, `Test Company ${String.fromCharCode(65 + i)}`, 20 + i]);
  const rows = stocks.map(([symbol, name], i) => `('${symbol}', '${name}', 'Technology', 'Software', 'NASDAQ', ${(1000 - i) * 1e9})`);
  const candles: string[] = [];
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  for (const [symbol, , base] of stocks) {
    for (let day = 60; day >= 1; day--) {
      const ts = new Date(today - day * 86_400_000).toISOString();
      const close = base + Math.sin(day / 5) * base * 0.05;
      const open = close - Math.cos(day / 3) * base * 0.01;
      const high = Math.max(open, close) + base * 0.005;
      const low = Math.min(open, close) - base * 0.005;
      candles.push(`('${symbol}', 'DAY', '${ts}', ${open.toFixed(2)}, ${high.toFixed(2)}, ${low.toFixed(2)}, ${close.toFixed(2)}, ${close.toFixed(2)}, ${1_000_000 + day * 1000})`);
    }
  }
  return `INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "market_cap") VALUES ${rows.join(',\n')};
INSERT INTO "stock_price" ("symbol", "interval", "ts", "open", "high", "low", "close", "adj_close", "volume") VALUES ${candles.join(',\n')};`;
}

describe.skipIf(!haveChromium)('the web example (React + Apollo Client) in chromium', () => {
  let t: TestApp;
  let outDir: string;
  let site: StaticServer;
  let browser: Browser;
  let page: Page;
  const failures: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'marketgraph-web-'));
    const [app] = await Promise.all([
      startTestApp({ prepareStock: (db) => db.sql.exec(fixture()) }),
      build({ configFile: join(EXAMPLE, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
    ]);
    t = app;
    site = await startStaticServer({ dir: outDir, port: 0, host: '127.0.0.1', apiUrl: t.url });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('requestfailed', (request) => void failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.url()}: HTTP ${response.status()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => void consoleErrors.push(String(error)));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await t?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('signs up, builds a watchlist and shows live prices as they tick', async () => {
    await page.goto(`${site.url}#/login`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Create account' }).first().click();
    await page.locator('input[name="fullName"]').fill('Ada Lovelace');
    await page.locator('input[name="email"]').fill('ada@example.com');
    await page.locator('input[name="password"]').fill('analytical engine');
    await page.locator('form button[type="submit"]').click();

    // Signed in: the token is stored and the app moved to the watchlists.
    await page.getByPlaceholder('New watchlist name').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => localStorage.getItem('marketgraph.accessToken'))).toMatch(/^ey/);

    await page.getByPlaceholder('New watchlist name').fill('Tech');
    await page.getByRole('button', { name: 'Create watchlist' }).click();
    const list = page.locator('[data-testid="collection"]', { hasText: 'Tech' });
    await list.waitFor({ timeout: 10_000 });
    for (const symbol of ['AAPL', 'MSFT']) {
      await list.getByPlaceholder('Symbol, e.g. AAPL').fill(symbol);
      await list.getByRole('button', { name: 'Add stock' }).click();
      await list.locator(`[data-testid="price-${symbol}"]`).waitFor({ timeout: 10_000 });
    }
    const aapl = page.locator('[data-testid="price-AAPL"]');
    const msft = page.locator('[data-testid="price-MSFT"]');

    // The subscription is open (one socket) and has delivered the current prices.
    await expect.poll(() => t.app.websocketClients(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => aapl.innerText(), { timeout: 10_000 }).toMatch(/^\d+\.\d\d$/);
    const before = await aapl.innerText();

    const ticks = [
      { symbol: 'AAPL', price: 201.37 },
      { symbol: 'MSFT', price: 388.12 },
      { symbol: 'AAPL', price: 199.05 },
    ];
    for (const { symbol, price } of ticks) {
      await t.app.publishPrice({ symbol, price, previousClose: price - 1.5, change: 1.5, changePercent: 0.75, volume: 1000, timestamp: new Date() });
      const cell = symbol === 'AAPL' ? aapl : msft;
      await expect.poll(() => cell.innerText(), { timeout: 10_000 }).toBe(price.toFixed(2));
    }
    expect(before).not.toBe('199.05');

    // A tick of the simulated feed itself (the quotes job), shown as the API now quotes it.
    expect(await t.app.scheduler.tick(t.app.jobs.find((job) => job.name === 'quotes')!)).toBe('ran');
    const { data } = await t.graphql(`{ stock(symbol: "AAPL") { quote { price } } }`);
    await expect.poll(() => aapl.innerText(), { timeout: 10_000 }).toBe(data!.stock.quote.price.toFixed(2));

    // Each tick flashes the cell for ~600 ms.
    await t.app.publishPrice({ symbol: 'MSFT', price: 390.5, previousClose: 388.5, change: 2, changePercent: 0.5, volume: 1000, timestamp: new Date() });
    await expect.poll(() => msft.getAttribute('class'), { timeout: 5_000 }).toContain('flash');
    await expect.poll(() => msft.innerText(), { timeout: 5_000 }).toBe('390.50');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: new URL('example-web.png', SCREENSHOT_DIR).pathname, fullPage: true });
    await expect.poll(() => msft.getAttribute('class'), { timeout: 5_000 }).not.toContain('flash');

    expect(failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('searches stocks with infinite scroll and opens a stock page with its chart and indicators', async () => {
    await t.app.scheduler.tick(t.app.jobs.find((job) => job.name === 'indicators')!);
    await page.goto(`${site.url}#/search`);
    const rows = page.locator('[data-testid="stock-row"]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(20);
    await page.locator('.sentinel').scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(28);
    await expect.poll(() => page.locator('.sentinel').innerText()).toBe('End of list');

    await page.getByLabel('Search stocks').fill('nvidia');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await rows.getByRole('link', { name: 'NVDA' }).click();

    await page.locator('[data-testid="candle-chart"] canvas').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('h1').innerText()).toContain('NVIDIA Corporation');
    expect(await page.locator('[data-testid="stock-price"]').innerText()).toMatch(/^\d+\.\d\d$/);
    const indicators = await page.locator('[data-testid="indicators"]').innerText();
    expect(indicators).toContain('RSI 14');
    expect(indicators).toMatch(/SMA 50\s+\d+\.\d\d/);
    await page.screenshot({ path: new URL('example-web-stock.png', SCREENSHOT_DIR).pathname, fullPage: true });

    expect(failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('moves the stock page live: the header price and the last candle follow each tick, the tiles each indicator run', async () => {
    await page.goto(`${site.url}#/stock/MSFT`);
    const chart = page.locator('[data-testid="candle-chart"]');
    await chart.locator('canvas').first().waitFor({ timeout: 10_000 });
    const price = page.locator('[data-testid="stock-price"]');
    const lastCandle = async () => JSON.parse((await chart.getAttribute('data-last-candle')) ?? 'null');
    // Both subscriptions are open (one socket) before the ticks are sent.
    await expect.poll(() => t.app.websocketClients(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await lastCandle())?.close, { timeout: 10_000 }).toBeTypeOf('number');

    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) / 1000;
    const ticks = [412.34, 367.89];
    for (const tick of ticks) {
      const before = await lastCandle();
      await t.app.publishPrice({ symbol: 'MSFT', price: tick, previousClose: 400, change: tick - 400, changePercent: (tick - 400) / 4, volume: 5_000, timestamp: new Date() });
      await expect.poll(() => price.innerText(), { timeout: 10_000 }).toBe(tick.toFixed(2));
      await expect.poll(async () => (await lastCandle()).close, { timeout: 10_000 }).toBe(tick);
      const after = await lastCandle();
      // Today's candle (started by the tick when the chart's last candle was yesterday's): close, high and low follow.
      expect(after.time).toBe(today);
      expect(after.high).toBeGreaterThanOrEqual(tick);
      expect(after.low).toBeLessThanOrEqual(tick);
      expect(after).not.toEqual(before);
    }
    const finalCandle = await lastCandle();
    expect(finalCandle.high).toBeGreaterThanOrEqual(412.34);
    expect(finalCandle.low).toBeLessThanOrEqual(367.89);
    expect(await page.locator('[data-testid="stock-change"]').innerText()).toContain('-32.11');

    // An indicator run for MSFT (what the indicators job publishes) lands in the tiles.
    await publishIndicators(t.app.bus, t.app.cache, 'MSFT', {
      timestamp: new Date(today * 1000), sma20: 401.23, sma50: 398.76, sma200: null, ema12: null, ema26: null, rsi14: 12.3,
      macd: { macd: 1.234, signal: 0.987, histogram: 0.247 }, bollinger: null, atr14: null, obv: null,
    });
    const tiles = page.locator('[data-testid="indicators"]');
    await expect.poll(() => tiles.innerText(), { timeout: 10_000 }).toMatch(/RSI 14\s+12\.3/);
    expect(await tiles.innerText()).toMatch(/SMA 20\s+401\.23/);
    await page.screenshot({ path: new URL('example-web-live.png', SCREENSHOT_DIR).pathname, fullPage: true });

    expect(failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('runs a paper portfolio: deposit, a refused and a filled market buy, live order row, positions, header value, donut and chart', async () => {
    // The default benchmark of Portfolio.performance, listed after the search tests counted the stocks.
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const spy = Array.from({ length: 30 }, (_, i) => `('SPY', 'DAY', '${new Date(today - (30 - i) * 86_400_000).toISOString()}', ${500 + i}, ${501 + i}, ${499 + i}, ${500.5 + i}, ${500.5 + i}, 1000000)`);
    await t.stock.sql.exec(`INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "asset_class") VALUES ('SPY', 'SPDR S&P 500 ETF Trust', 'Financial Services', 'Asset Management', 'NYSE', 'ETF');
      INSERT INTO "stock_price" ("symbol", "interval", "ts", "open", "high", "low", "close", "adj_close", "volume") VALUES ${spy.join(',')};`);

    // A second account, so this test stands on its own (and a new sign-in gets a fresh client).
    await page.goto(`${site.url}#/login`);
    const signOut = page.getByRole('button', { name: 'Sign out' });
    if (await signOut.count()) await signOut.click();
    await page.getByRole('button', { name: 'Create account' }).first().click();
    await page.locator('input[name="fullName"]').fill('Grace Hopper');
    await page.locator('input[name="email"]').fill('grace@example.com');
    await page.locator('input[name="password"]').fill('compiler pioneer');
    await page.locator('form button[type="submit"]').click();
    await page.getByPlaceholder('New watchlist name').waitFor({ timeout: 10_000 });
    const headers = { authorization: `Bearer ${await page.evaluate(() => localStorage.getItem('marketgraph.accessToken'))}` };

    await page.getByRole('link', { name: 'Portfolios' }).click();
    await page.getByPlaceholder('New portfolio name').fill('Paper');
    await page.getByRole('button', { name: 'Create portfolio' }).click();
    const card = page.locator('[data-testid="portfolio-card"]', { hasText: 'Paper' });
    await card.waitFor({ timeout: 10_000 });
    await card.getByLabel('Deposit amount').fill('10000');
    await card.getByRole('button', { name: 'Deposit' }).click();
    await expect.poll(() => card.locator('[data-testid="portfolio-card-value"]').innerText(), { timeout: 10_000 }).toBe('10,000.00 USD');

    await card.getByRole('link', { name: 'Paper' }).click();
    const value = page.locator('[data-testid="portfolio-value"]');
    await expect.poll(() => value.innerText(), { timeout: 10_000 }).toBe('10,000.00');
    const portfolioId = decodeURIComponent(new URL(page.url()).hash.replace('#/portfolio/', ''));
    // Both subscriptions (value, orders) share the one socket.
    await expect.poll(() => t.app.websocketClients(), { timeout: 10_000 }).toBe(1);

    // Refused: the server's message, inline, and nothing placed.
    const ticket = page.locator('[data-testid="order-ticket"]');
    await ticket.getByLabel('Order symbol').fill('AAPL');
    await ticket.getByLabel('Order quantity').fill('1000');
    await ticket.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => page.locator('[data-testid="order-error"]').innerText(), { timeout: 10_000 }).toMatch(/buying power is 10000\.00 USD/);
    expect(await page.locator('[data-testid="order-row"]').count()).toBe(0);

    await ticket.getByLabel('Order quantity').fill('10');
    await expect.poll(() => page.locator('[data-testid="order-error"]').count()).toBe(0);
    await ticket.getByRole('button', { name: 'Place order' }).click();
    const row = page.locator('[data-testid="order-row"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('NEW');
    await expect.poll(() => page.locator('[data-testid="positions-empty"]').count()).toBe(1);

    // The next AAPL tick, as the quotes job delivers it: published to subscribers, then matched.
    const fillTick = { symbol: 'AAPL', price: 195.5, volume: 1_000_000, timestamp: new Date(Date.now() + 1_000) };
    await t.app.publishPrice({ ...fillTick, previousClose: 190, change: 5.5, changePercent: (5.5 / 190) * 100 });
    expect((await t.app.orderFills.match([{ ...fillTick, price: fillTick.price.toFixed(2) }])).fills).toBe(1);

    // orderUpdated moves the row; the fill refetches positions and allocation.
    await expect.poll(() => row.locator('[data-testid="order-status"]').innerText(), { timeout: 10_000 }).toBe('FILLED');
    expect(await row.locator('[data-testid="order-filled"]').innerText()).toBe('10');
    expect(await row.locator('[data-testid="order-avg-price"]').innerText()).toMatch(/^19\d\.\d\d$/);
    expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    const position = page.locator('[data-testid="position-row"][data-symbol="AAPL"]');
    await expect.poll(() => position.locator('[data-testid="position-quantity"]').innerText(), { timeout: 10_000 }).toBe('10');
    expect(await position.innerText()).toContain('195.50');

    // A GTC limit far below the market stays open, and Cancel ends it.
    await ticket.getByLabel('Order type').selectOption('LIMIT');
    await ticket.getByLabel('Limit price').fill('100');
    await ticket.getByLabel('Time in force').selectOption('GTC');
    await ticket.getByLabel('Order quantity').fill('1');
    await ticket.getByRole('button', { name: 'Place order' }).click();
    const limitRow = row.filter({ hasText: 'LIMIT @ 100.00' });
    await expect.poll(() => limitRow.getAttribute('data-status'), { timeout: 10_000 }).toBe('NEW');
    await limitRow.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => limitRow.getAttribute('data-status'), { timeout: 10_000 }).toBe('CANCELED');
    expect(await limitRow.getByRole('button', { name: 'Cancel' }).count()).toBe(0);

    // The donut: Technology and cash by sector, one slice by currency.
    const donut = page.locator('[data-testid="allocation-donut"]');
    await expect.poll(() => donut.getAttribute('data-slices'), { timeout: 10_000 }).toBe('2');
    expect(await donut.locator('circle[data-key]').count()).toBe(2);
    expect(await donut.innerText()).toMatch(/Technology[\s\S]*CASH|CASH[\s\S]*Technology/);
    await page.getByRole('group', { name: 'Allocation by' }).getByRole('button', { name: 'Currency' }).click();
    await expect.poll(() => donut.getAttribute('data-slices'), { timeout: 10_000 }).toBe('1');
    expect(await donut.innerText()).toContain('USD');

    // The value chart draws the performance series (today at least), on any range.
    const chart = page.locator('[data-testid="value-chart"]');
    await chart.locator('canvas').first().waitFor({ timeout: 10_000 });
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1W' }).click();
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const returns = page.locator('[data-testid="returns"]');
    expect(await returns.innerText()).toContain('Time-weighted');
    await expect.poll(() => returns.innerText(), { timeout: 10_000 }).toMatch(/Total\s+[+-]?\d+\.\d\d%/);

    // Another tick: portfolioValueUpdated moves the header to the value the API now reports.
    const before = await value.innerText();
    const next = { symbol: 'AAPL', price: 201.25, previousClose: 190, change: 11.25, changePercent: (11.25 / 190) * 100, volume: 1_000, timestamp: new Date() };
    await t.app.publishPrice(next);
    const { data } = await t.graphql(`query($id: ID!) { portfolio(id: $id) { totalValue } }`, { id: portfolioId }, headers);
    const expected = (data!.portfolio.totalValue as number).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(expected).not.toBe(before);
    await expect.poll(() => value.innerText(), { timeout: 10_000 }).toBe(expected);
    await expect.poll(() => position.innerText(), { timeout: 10_000 }).toContain('201.25');
    // The chart's last point (today) follows the live value.
    expect(Number(await chart.getAttribute('data-last-value'))).toBe(data!.portfolio.totalValue);
    await page.screenshot({ path: new URL('example-web-portfolio.png', SCREENSHOT_DIR).pathname, fullPage: true });

    expect(failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('is built with Apollo Client (and React) in production mode', () => {
    const bundle = readdirSync(join(outDir, 'assets')).filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(outDir, 'assets', file), 'utf8')).join('\n');
    expect(bundle.length).toBeGreaterThan(100_000);
    // Apollo's dev-only branches test globalThis.__DEV__; defined false, they are gone, with their warnings.
    expect(bundle).not.toContain('__DEV__');
    expect(bundle).not.toContain('Download the Apollo DevTools');
  });
});
