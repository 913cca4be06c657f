import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsChangedTopic } from '../../../src/modules/alert/alert-evaluator.js';
import { candleStampOf, lastCompleteSession, previousTradingDay } from '../../../src/modules/market/calendar/new-york-calendar.js';
import { indicatorTopic, priceTopic, scanTopic, sentimentTopic } from '../../../src/realtime/topics.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// Every condition end to end: the event on the bus (or the screener job), the app's evaluator, the conditional
// UPDATE, alertHistory. One symbol per condition so the alerts cannot disturb each other.
//
// VOL: 25 complete sessions of 1,000,000 shares (20-session average 1M). SEIN closes at 90 and SEOUT at 110;
// the screener "price at least 100" holds SEOUT only until the test moves the closes.
const LAST = lastCompleteSession(new Date());
const SESSIONS = [LAST];
while (SESSIONS.length < 25) SESSIONS.push(previousTradingDay(SESSIONS.at(-1)!));
const SYMBOLS = ['PUP', 'PDOWN', 'PMOVE', 'RUP', 'RDOWN', 'VOL', 'SCAN', 'SEIN', 'SEOUT', 'SENT'];
const FIXTURE = `
INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "is_active") VALUES
  ${SYMBOLS.map((s) => `('${s}', '${s} Corp.', 'Technology', 'Software', 'NASDAQ', true)`).join(',\n  ')};
INSERT INTO "stock_price" ("symbol", "interval", "ts", "open", "high", "low", "close", "adj_close", "volume") VALUES
  ${SESSIONS.map((d) => `('VOL', 'DAY', '${candleStampOf(d).toISOString()}', 100, 100, 100, 100, 100, 1000000)`).join(',\n  ')},
  ('SEIN', 'DAY', '${candleStampOf(LAST).toISOString()}', 90, 90, 90, 90, 90, 1000),
  ('SEOUT', 'DAY', '${candleStampOf(LAST).toISOString()}', 110, 110, 110, 110, 110, 1000);
INSERT INTO "numeric_filter" ("id", "key", "label", "column_name", "unit", "min_value", "max_value") VALUES
  (4, 'price', 'Price', 'close', 'USD', 0, 100000);
`;

const CREATE = `mutation($input: CreateAlertInput!) { createAlert(input: $input) { id } }`;
const HISTORY = `{ alertHistory(first: 100) { nodes { alertId symbol condition value } } }`;

let t: TestApp;
let alice: SignedUpUser;
let screenerId: string;

const evaluator = (app = t.app) => app.insights.alerts!;
/** Runs `act` and waits until this process's evaluator has handled `events` more bus events. */
async function handled(act: () => Promise<unknown>, events = 1, app = t.app): Promise<void> {
  const before = evaluator(app).handled;
  await act();
  await expect.poll(() => evaluator(app).handled, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + events);
}
const publish = (topic: string, payload: unknown) => handled(() => t.app.bus.publish(topic, payload));
const setClose = (symbol: string, close: number) => t.stock.sql.query(`UPDATE stock_price SET close = $2 WHERE symbol = $1`, [symbol, close]);
const screenersJob = () => t.app.jobs.find((job) => job.name === 'alert-screeners')!;
/** One run of the screener job; a run that changes a membership publishes one event, which the evaluator handles. */
async function runScreeners(): Promise<void> {
  const before = evaluator().handled;
  const { entered, left } = (await screenersJob().run()) as { entered: number; left: number };
  if (entered + left > 0) await expect.poll(() => evaluator().handled, { timeout: 10_000 }).toBeGreaterThan(before);
}

async function firings(alertId: string): Promise<number> {
  const { alertHistory } = await t.data(HISTORY, {}, alice.headers);
  return alertHistory.nodes.filter((n: { alertId: string }) => n.alertId === alertId).length;
}

beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(FIXTURE) });
  alice = await signUp(t, 'alice');
  const created = await t.data(`mutation($input: CustomScreenerInput!) { createCustomScreener(input: $input) { id } }`, {
    input: { name: 'At least 100', numeric: [{ filterId: '4', min: 100 }], categorical: [] },
  }, alice.headers);
  screenerId = created.createCustomScreener.id;
});
afterAll(() => t?.close());

interface Case {
  condition: string;
  symbol: string;
  input: Record<string, unknown>;
  /** The event that makes the condition true. */
  cross(): Promise<unknown>;
  /** Still true, or back inside the hysteresis band: must not fire again nor re-arm. */
  band(): Promise<unknown>;
  /** Clearly false: re-arms. */
  away(): Promise<unknown>;
}

const price = (symbol: string, p: number, extra: Record<string, unknown> = {}) => () =>
  publish(priceTopic(symbol), { symbol, price: p, previousClose: 100, change: 0, changePercent: 0, volume: 10, timestamp: new Date().toISOString(), ...extra });
const rsi = (symbol: string, value: number) => () => publish(indicatorTopic(symbol), { timestamp: new Date().toISOString(), rsi14: value });
const scan = (hits: { kind: string; symbol: string }[]) => () => publish(scanTopic('DAILY'), { timeframe: 'DAILY', scannedAt: new Date().toISOString(), hits });
const sentiment = (score: number, previousScore: number) => () =>
  publish(sentimentTopic('SENT'), { symbol: 'SENT', window: 'ONE_DAY', score, previousScore, label: 'NEUTRAL', articleCount: 3 });

const CASES: Case[] = [
  // Level 100, band 0.5 %: re-arms below 99.5.
  { condition: 'PRICE_ABOVE', symbol: 'PUP', input: { threshold: 100 }, cross: price('PUP', 101), band: price('PUP', 99.8), away: price('PUP', 99) },
  { condition: 'PRICE_BELOW', symbol: 'PDOWN', input: { threshold: 100 }, cross: price('PDOWN', 99), band: price('PDOWN', 100.3), away: price('PDOWN', 101) },
  // 5 % from the previous close of 100, band 0.5 points: 4.8 % is inside it.
  { condition: 'PERCENT_MOVE', symbol: 'PMOVE', input: { threshold: 5 }, cross: price('PMOVE', 94), band: price('PMOVE', 104.8), away: price('PMOVE', 102) },
  // Two RSI points of band.
  { condition: 'RSI_ABOVE', symbol: 'RUP', input: { threshold: 70 }, cross: rsi('RUP', 72), band: rsi('RUP', 69), away: rsi('RUP', 65) },
  { condition: 'RSI_BELOW', symbol: 'RDOWN', input: { threshold: 30 }, cross: rsi('RDOWN', 28), band: rsi('RDOWN', 31), away: rsi('RDOWN', 35) },
  // 3x the 20-session average of 1M shares, band 10 %: 2.8M is inside it.
  {
    condition: 'VOLUME_SPIKE', symbol: 'VOL', input: { threshold: 3 },
    cross: price('VOL', 100, { volume: 3_200_000 }), band: price('VOL', 100, { volume: 2_800_000 }), away: price('VOL', 100, { volume: 2_000_000 }),
  },
  // A scan run that still lists the symbol is "still true"; one without it re-arms.
  {
    condition: 'SCAN', symbol: 'SCAN', input: { scanKind: 'GOLDEN_CROSS' },
    cross: scan([{ kind: 'GOLDEN_CROSS', symbol: 'SCAN' }]), band: scan([{ kind: 'GOLDEN_CROSS', symbol: 'SCAN' }, { kind: 'RSI_OVERSOLD', symbol: 'PUP' }]),
    away: scan([{ kind: 'RSI_OVERSOLD', symbol: 'SCAN' }]),
  },
  // Membership changes come from the alert-screeners job; an unchanged run announces nothing.
  {
    condition: 'SCREENER_ENTER', symbol: 'SEIN', input: {},
    cross: async () => (await setClose('SEIN', 120), runScreeners()), band: () => runScreeners(), away: async () => (await setClose('SEIN', 90), runScreeners()),
  },
  {
    condition: 'SCREENER_LEAVE', symbol: 'SEOUT', input: {},
    cross: async () => (await setClose('SEOUT', 80), runScreeners()), band: () => runScreeners(), away: async () => (await setClose('SEOUT', 110), runScreeners()),
  },
  // Each update is its own swing: the same swing delivered again must not fire twice; a calm update re-arms.
  { condition: 'SENTIMENT_SWING', symbol: 'SENT', input: { threshold: 0.3 }, cross: sentiment(0.5, 0.1), band: sentiment(0.5, 0.1), away: sentiment(0.55, 0.5) },
];

describe('every alert condition, end to end through the bus', () => {
  it.each(CASES)('$condition fires once on a crossing, not inside the band, not again inside the cooldown, and again after it', async (c) => {
    const input = { symbol: c.symbol, condition: c.condition, cooldownSeconds: 3600, ...c.input, ...(c.condition.startsWith('SCREENER') ? { screenerId } : {}) };
    let alertId = '';
    await handled(async () => (alertId = (await t.data(CREATE, { input }, alice.headers)).createAlert.id));
    // The screener alerts need their first membership recorded (the start-up run does it in a real process).
    if (c.condition.startsWith('SCREENER')) await runScreeners();
    const counts: number[] = [];
    const step = async (act: () => Promise<unknown>) => (await act(), counts.push(await firings(alertId)));
    await step(c.away);
    await step(c.cross);
    await step(c.band);
    await step(c.away);
    // Crossing again within the hour of cooldown: swallowed.
    await step(c.cross);
    await step(c.away);
    // An hour later (the firing moved back, announced so the index reloads it), the next crossing fires.
    await t.user.sql.query(`UPDATE alert SET last_fired_at = last_fired_at - interval '2 hours' WHERE id = $1`, [alertId]);
    await handled(() => t.app.bus.publish(alertsChangedTopic, { upsert: alertId }));
    await step(c.cross);
    expect(counts).toEqual([0, 1, 1, 1, 1, 1, 2]);
    const { alertHistory } = await t.data(HISTORY, {}, alice.headers);
    expect(alertHistory.nodes.find((n: { alertId: string }) => n.alertId === alertId)).toMatchObject({ symbol: c.symbol, condition: c.condition });
  });
});

describe('the inputs the live path supplies', () => {
  it('reports the volume ratio against the 20-session average, read from the stock DB once per session', async () => {
    let alertId = '';
    await handled(async () => (alertId = (await t.data(CREATE, { input: { symbol: 'VOL', condition: 'VOLUME_SPIKE', threshold: 1.5 } }, alice.headers)).createAlert.id));
    await price('VOL', 100, { volume: 1_000_000 })();
    t.app.stockDb.queries.reset();
    await price('VOL', 100, { volume: 2_000_000 })();
    await price('VOL', 100, { volume: 1_000_000 })();
    // The average was loaded by an earlier tick of this session: no statement for it now.
    expect(t.app.stockDb.queries.count).toBe(0);
    const { alertHistory } = await t.data(HISTORY, {}, alice.headers);
    expect(alertHistory.nodes.filter((n: { alertId: string }) => n.alertId === alertId).map((n: { value: number }) => n.value)).toEqual([2]);
  });

  it('evaluates a saved screener with one statement however many alerts watch it', async () => {
    const bob = await signUp(t, 'bob');
    const theirs = await t.data(`mutation($input: CustomScreenerInput!) { createCustomScreener(input: $input) { id } }`, {
      input: { name: 'Bob at least 100', numeric: [{ filterId: '4', min: 100 }], categorical: [] },
    }, bob.headers);
    for (const symbol of SYMBOLS) {
      for (const condition of ['SCREENER_ENTER', 'SCREENER_LEAVE']) {
        await handled(() => t.data(CREATE, { input: { symbol, condition, screenerId: theirs.createCustomScreener.id } }, bob.headers));
      }
    }
    t.app.stockDb.queries.reset();
    expect(await t.app.scheduler.tick(screenersJob())).toBe('ran');
    // The filters (numeric, categorical), then one membership statement per watched screener (bob's, and alice's
    // when the cases above ran), however many alerts: bob alone has 20 on his.
    expect(t.app.stockDb.queries.count).toBe(2 + evaluator().index.screeners().size);
    expect(evaluator().index.screeners().has(theirs.createCustomScreener.id)).toBe(true);
    // The first run records bob's screener (SEIN is inside it by now): an alert fires on a change, not on what it finds.
    await t.app.scheduler.tick(screenersJob());
    expect((await t.data(HISTORY, {}, bob.headers)).alertHistory.nodes).toEqual([]);
    // Deleting the screener deletes its alerts (ON DELETE CASCADE); the next run drops them from every index.
    await t.data(`mutation($id: ID!) { deleteCustomScreener(id: $id) }`, { id: theirs.createCustomScreener.id }, bob.headers);
    await handled(() => t.app.scheduler.tick(screenersJob()), SYMBOLS.length * 2);
    expect(evaluator().index.screeners().has(theirs.createCustomScreener.id)).toBe(false);
    expect((await t.data(`{ alerts { id } }`, {}, bob.headers)).alerts).toEqual([]);
  });
});
