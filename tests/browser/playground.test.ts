import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { inCi } from '../support/servers.js';

/**
 * The playground in a real browser: Debian's chromium driven by playwright-core.
 * Skipped (saying why) where /usr/bin/chromium is missing, except under CI=true,
 * where that is a failure: .ci/run installs it.
 */
const CHROMIUM = '/usr/bin/chromium';
const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const SCREENSHOT_DIR = new URL('../../test-output/', import.meta.url);

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (inCi) throw new Error(`CI=true but ${CHROMIUM} does not exist: CI must run the browser test (apt-get install chromium)`);
  console.warn(`skipping the playground browser test: ${CHROMIUM} does not exist (apt-get install chromium)`);
}

// What the functions below use inside the page (tsconfig has no DOM lib): GraphiQL's editors are CodeMirror 5.
interface CodeMirrorElement {
  CodeMirror?: { getValue(): string; setValue(value: string): void };
}
declare const document: { querySelector(selector: string): CodeMirrorElement | null };

/** The text of the CodeMirror editor inside the element matching `selector`. */
function editorValue(page: Page, selector: string): Promise<string> {
  return page.evaluate((sel) => document.querySelector(`${sel} .CodeMirror`)?.CodeMirror?.getValue() ?? '', selector);
}

/** Replaces the query editor's text (what typing would do, minus auto-closed brackets). */
function setQuery(page: Page, query: string): Promise<void> {
  return page.evaluate((text) => document.querySelector('.graphiql-query-editor .CodeMirror')!.CodeMirror!.setValue(text), query);
}

describe.skipIf(!haveChromium)('the GraphiQL playground in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const requests: string[] = [];
  const failures: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
    origin = new URL(t.url).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (request) => void requests.push(request.url()));
    page.on('websocket', (socket) => void requests.push(socket.url()));
    page.on('requestfailed', (request) => void failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.url()}: HTTP ${response.status()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => void consoleErrors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads everything from this server and nothing from elsewhere', async () => {
    const response = await page.goto(t.url, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 20_000 });
    // The docs explorer needs the schema: introspection ran over POST /graphql.
    await expect.poll(() => requests.filter((url) => url === t.url).length, { timeout: 10_000 }).toBeGreaterThan(1);

    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(new URL(url).hostname, url).toBe('127.0.0.1');
    expect(failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('runs a query and shows the result', async () => {
    await setQuery(page, '{ stock(symbol: "AAPL") { name quote { price } } }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => editorValue(page, '.graphiql-response'), { timeout: 10_000 }).toContain('Apple Inc.');
    const result = JSON.parse(await editorValue(page, '.graphiql-response'));
    expect(result).toEqual({ data: { stock: { name: 'Apple Inc.', quote: { price: 190.5 } } }, extensions: { cost: { requested: 2, limit: 5_000 } } });
    expect(await page.locator('.graphiql-response').innerText()).toContain('190.5');

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: new URL('playground.png', SCREENSHOT_DIR).pathname, fullPage: true });
  });

  it('streams a subscription over graphql-ws on the same host', async () => {
    await setQuery(page, 'subscription { priceUpdated(symbols: ["AAPL"]) { symbol price } }');
    // GraphiQL parses the editor's text on a short debounce; only then does it know this is a subscription.
    await page.waitForTimeout(1000);
    await page.locator('.graphiql-execute-button').click();
    // The current price at once, then each tick.
    await expect.poll(() => editorValue(page, '.graphiql-response'), { timeout: 10_000 }).toContain('190.5');
    await expect.poll(() => t.app.websocketClients(), { timeout: 10_000 }).toBe(1);
    await t.app.publishPrice({ symbol: 'AAPL', price: 191.25, previousClose: 190.5, change: 0.75, changePercent: 0.39, volume: 1000, timestamp: new Date() });
    await expect.poll(() => editorValue(page, '.graphiql-response'), { timeout: 10_000 }).toContain('191.25');
    await page.locator('.graphiql-execute-button').click(); // stops the subscription

    expect(requests).toContain(`${origin.replace('http', 'ws')}/graphql`);
    for (const url of requests) expect(new URL(url).hostname, url).toBe('127.0.0.1');
    expect(failures).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
