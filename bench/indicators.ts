// Benchmark: the indicator engine. Time per new daily candle of the incremental
// state (IndicatorState.push: O(1) for SMA, EMA, RSI, MACD, ATR, OBV; Bollinger's
// twenty multiply-adds) against recomputing the series from the last 200 candles
// (computeSeries over the window) for a new candle, in the same process.
//   npm run bench:indicators   (BENCH_CANDLES, default 100,000 pushes a round; BENCH_RECOMPUTES, default 2,000 a round;
//                               BENCH_RUNS, default 9 rounds, 5 in the suite)
// One warm-up round of each first (JIT), then interleaved rounds (bench/report.ts); the ratio is per round.
import { computeSeries } from '../src/modules/indicator/engine/series.js';
import { createIndicatorState } from '../src/modules/indicator/engine/state.js';
import type { IndicatorCandle } from '../src/modules/indicator/engine/types.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows } from './report.js';

const CANDLES = Number(process.env.BENCH_CANDLES ?? 100_000);
const RECOMPUTES = Number(process.env.BENCH_RECOMPUTES ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? (IN_SUITE ? 5 : 9));
const WINDOW = 200;

// A deterministic random walk (xorshift), the same for both paths.
let seed = 42;
const random = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), (seed >>> 0) / 4_294_967_296);
const candles: IndicatorCandle[] = [];
let close = 100;
for (let i = 0; i < CANDLES + WINDOW; i += 1) {
  close *= 1 + (random() - 0.5) * 0.04;
  candles.push({ timestamp: i * 86_400_000, high: close * 1.01, low: close * 0.99, close, volume: 1_000_000 + Math.floor(random() * 1e6) });
}

/** Nanoseconds per candle of `n` runs of `fn`; `check` must see a result (nothing optimised away). */
function perCandle(n: number, fn: () => unknown): number {
  const started = process.hrtime.bigint();
  const result = fn();
  const ns = Number(process.hrtime.bigint() - started);
  if (!result) throw new Error('no result');
  return ns / n;
}

/** Pushes every candle after the first WINDOW into a state seeded with those. */
function incremental(): number {
  const state = createIndicatorState();
  for (let i = 0; i < WINDOW; i += 1) state.push(candles[i]!);
  return perCandle(CANDLES, () => {
    let last;
    for (let i = WINDOW; i < candles.length; i += 1) last = state.push(candles[i]!);
    return last;
  });
}

/** computeSeries over the 200 candles ending at RECOMPUTES positions spread over the series. */
function recompute(): number {
  const stride = Math.max(1, Math.floor(CANDLES / RECOMPUTES));
  return perCandle(RECOMPUTES, () => {
    let last;
    for (let k = 0, i = WINDOW; k < RECOMPUTES; k += 1, i += stride) last = computeSeries(candles.slice(i - WINDOW + 1, i + 1)).at(-1);
    return last;
  });
}

incremental();
recompute();
const runs = await interleaved(RUNS, { incremental: async () => incremental(), recompute: async () => recompute() });
const ratio = ratioSpread(runs.recompute, runs.incremental);
const push = medianSpread(runs.incremental);
const full = medianSpread(runs.recompute);
const perSecond = (ns: number) => Math.round(1e9 / ns).toLocaleString('en');

console.log(`\n## Indicator engine: one symbol, ${CANDLES.toLocaleString('en')} pushes and ${RECOMPUTES.toLocaleString('en')} recomputes a round, ${RUNS} interleaved rounds, Node ${process.version}\n`);
console.log('| path | per candle (median, min–max) | candles/s |');
console.log('|---|---|---|');
console.log(`| incremental state (push) | ${push.median.toFixed(0)} ns (${push.min.toFixed(0)}–${push.max.toFixed(0)}) | ${perSecond(push.median)} |`);
console.log(`| recompute from the last ${WINDOW} candles | ${(full.median / 1000).toFixed(1)} µs (${(full.min / 1000).toFixed(1)}–${(full.max / 1000).toFixed(1)}) | ${perSecond(full.median)} |`);
console.log(`| ratio recompute / push, per round | ${ratio.median.toFixed(0)}x (${ratio.min.toFixed(0)}–${ratio.max.toFixed(0)}) | |`);
reportRows([
  {
    id: 'indicators.incremental-vs-recompute',
    what: `indicator push vs recompute from ${WINDOW} candles (time per new candle)`,
    value: `${push.median.toFixed(0)} ns a push`,
    baseline: `computeSeries over ${WINDOW} candles ${(full.median / 1000).toFixed(1)} µs`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: '≥ 150x',
    met: ratio.median >= 150,
  },
]);
