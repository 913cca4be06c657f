// Alert evaluation per tick: 100,000 alerts over 500 symbols (200 per symbol) in the symbol index, against an
// index with no alerts, and against a linear scan of all 100,000 (what the index avoids). In-process evaluation
// only (the AlertIndex of src/modules/alert): firing goes to PostgreSQL and is not part of the figure. Levels are
// spread over 50-150 and the price walks inside 100-110, so the index finds nothing to change on most ticks:
// a tick costs one lookup per level condition of its symbol, plus the few alerts it crosses.
// Rounds interleaved.   node --import tsx bench/alerts.ts
import { AlertIndex, evaluate, type AlertCondition, type AlertSpec } from '../src/modules/alert/alert-index.js';
import { interleaved, IN_SUITE, medianSpread, ratioSpread, reportRows } from './report.js';

const SYMBOLS = Array.from({ length: 500 }, (_, i) => `S${i}`);
const ALERTS = 100_000;
const CONDITIONS: AlertCondition[] = ['PRICE_ABOVE', 'PRICE_BELOW', 'PERCENT_MOVE', 'VOLUME_SPIKE'];
const specs: AlertSpec[] = Array.from({ length: ALERTS }, (_, i) => ({
  id: `a${i}`,
  userId: `u${i % 5000}`,
  symbol: SYMBOLS[i % SYMBOLS.length]!,
  condition: CONDITIONS[i % CONDITIONS.length]!,
  // Levels 50..150 for prices (a spread of targets around the walk), 3..12 % moves, 2..6x volume.
  threshold: CONDITIONS[i % CONDITIONS.length]!.startsWith('PRICE') ? 50 + ((i * 37) % 101) : CONDITIONS[i % CONDITIONS.length] === 'PERCENT_MOVE' ? 3 + (i % 10) : 2 + (i % 5),
  scanKind: null,
  screenerId: null,
  cooldownSeconds: 0,
}));
const full = new AlertIndex();
for (const spec of specs) full.upsert(spec);
const empty = new AlertIndex();

const TICKS = IN_SUITE ? 20_000 : 100_000;
const ROUNDS = IN_SUITE ? 3 : 5;
const ticks = Array.from({ length: TICKS }, (_, i) => ({ symbol: SYMBOLS[(i * 7919) % SYMBOLS.length]!, price: 100 + (i % 10) + (i % 7) / 10 }));

function ticksPerSecond(run: (symbol: string, price: number) => void, n = TICKS): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run(ticks[i]!.symbol, ticks[i]!.price);
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}
const observe = (index: AlertIndex) => (symbol: string, price: number) =>
  void index.observe(symbol, { price, sessionReference: 100, volume: 1000, averageVolume20: 1000 });
const SCAN_TICKS = Math.max(50, TICKS / 500);
const scan = (symbol: string, price: number) => {
  for (const spec of specs) if (spec.symbol === symbol) evaluate(spec, { price, sessionReference: 100, volume: 1000, averageVolume20: 1000 });
};

const perTick = full.forSymbol(SYMBOLS[0]!).length;
// Settle the walk's first crossings (levels inside 100-110) before timing, as a running process would have.
for (const tick of ticks) observe(full)(tick.symbol, tick.price);
full.evaluations = 0;
const rounds = await interleaved(ROUNDS, {
  indexed: async () => ticksPerSecond(observe(full)),
  none: async () => ticksPerSecond(observe(empty)),
  scan: async () => ticksPerSecond(scan, SCAN_TICKS),
});
const rate = (v: number) => `${Math.round(v).toLocaleString('en-US')} ticks/s`;
const indexed = medianSpread(rounds.indexed);
const none = medianSpread(rounds.none);
const linear = medianSpread(rounds.scan);
const ratio = ratioSpread(rounds.indexed, rounds.none);
const vsScan = ratioSpread(rounds.indexed, rounds.scan);
const examined = full.evaluations / (ROUNDS * TICKS);
console.log(`\nalert evaluation, ${ALERTS.toLocaleString('en-US')} alerts over ${SYMBOLS.length} symbols (${perTick} per symbol, ${examined.toFixed(2)} examined per tick), ${ROUNDS} rounds\n`);
console.log('| contender | ticks/s (median, min-max) | ratio |\n|---|---|---|');
console.log(`| symbol index, 100,000 alerts | ${rate(indexed.median)} (${rate(indexed.min)}-${rate(indexed.max)}) | ${ratio.median.toFixed(3)}x of no alerts |`);
console.log(`| no alerts | ${rate(none.median)} | 1x |`);
console.log(`| linear scan of all alerts | ${rate(linear.median)} | index is ${vsScan.median.toFixed(0)}x faster |`);
reportRows([
  {
    id: 'alerts.indexed',
    what: `ticks/s evaluating 100,000 alerts over 500 symbols (${perTick} per symbol), in process`,
    value: rate(indexed.median),
    baseline: `no alerts ${rate(none.median)}`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: '≥ 0.1x',
    met: ratio.median >= 0.1,
    note: `${examined.toFixed(2)} alerts examined per tick; a linear scan of all alerts: ${rate(linear.median)}`,
  },
]);
