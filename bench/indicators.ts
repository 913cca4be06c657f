// Benchmark: the indicator engine. Candles per second for the incremental state
// (O(1) per new candle for SMA, EMA, RSI, MACD, ATR, OBV) against recomputing
// the series from the last 200 candles for every new candle, in the same run.
//   npm run bench:indicators
import { computeSeries } from '../src/modules/indicator/engine/series.js';
import { createIndicatorState } from '../src/modules/indicator/engine/state.js';
import type { IndicatorCandle } from '../src/modules/indicator/engine/types.js';

const CANDLES = Number(process.env.BENCH_CANDLES ?? 20_000);
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

function rate(fn: () => unknown): number {
  const started = process.hrtime.bigint();
  const result = fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!result) throw new Error('no result');
  return CANDLES / seconds;
}

const state = createIndicatorState();
for (const candle of candles.slice(0, WINDOW)) state.push(candle);
const incremental = rate(() => {
  let last;
  for (const candle of candles.slice(WINDOW)) last = state.push(candle);
  return last;
});
const recompute = rate(() => {
  let last;
  for (let i = WINDOW; i < candles.length; i += 1) last = computeSeries(candles.slice(i - WINDOW + 1, i + 1)).at(-1);
  return last;
});

console.log(`\n## Indicator engine: ${CANDLES.toLocaleString('en')} new daily candles, one symbol\n`);
console.log('| path | candles/s |');
console.log('|---|---|');
console.log(`| incremental state (push) | ${Math.round(incremental).toLocaleString('en')} |`);
console.log(`| recompute from the last ${WINDOW} candles | ${Math.round(recompute).toLocaleString('en')} |`);
console.log(`| ratio incremental / recompute | ${(incremental / recompute).toFixed(0)}x |`);
