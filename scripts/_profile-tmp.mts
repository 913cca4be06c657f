import { generateDailyCandles } from '../src/db/seed/price-path.js';
import { SEED_UNIVERSE } from '../src/db/seed/stocks.data.js';
import { windowOf } from '../src/modules/prediction/prediction-history.js';
import { evaluateForecaster } from '../src/modules/prediction/evaluate-forecaster.js';
const n = Number(process.argv[2] ?? 5);
const stocks = SEED_UNIVERSE.slice(0, n);
const windows = stocks.map((s) => {
  const c = generateDailyCandles(s, new Date('2024-11-27'), new Date('2026-11-27')).slice(-400);
  return windowOf(s.symbol, c.map((x: any) => ({ symbol: s.symbol, day: new Date(x.ts ?? x.timestamp).toISOString().slice(0, 10), ms: +new Date(x.ts ?? x.timestamp), high: x.high, low: x.low, close: x.close, volume: x.volume })));
}).map(({ lastTs, ...w }) => w);
console.log('sessions', windows[0].closes.length, Object.keys((generateDailyCandles(stocks[0], new Date('2026-11-01'), new Date('2026-11-27'))[0] as any)));
for (const name of (process.argv[3] ?? 'naive-random-walk,holt-damped,Random forest on engineered features,LSTM on recent returns').split(',')) {
  const t0 = Date.now();
  const r = await evaluateForecaster({ forecaster: name, settings: { randomForest: { trees: Number(process.env.TREES ?? 4), maxSamples: Number(process.env.MAX ?? 300) }, lstm: { epochs: Number(process.env.EPOCHS ?? 1), maxSamples: Number(process.env.MAX ?? 300) } }, windows, horizons: [7, 30, 90], backtest: { folds: Number(process.env.FOLDS ?? 2) } });
  console.log(name, Date.now() - t0, 'ms', r.metrics.skill, JSON.stringify(Object.fromEntries(Object.entries(r.metrics.horizons).map(([k, v]) => [k, v.skill.toFixed(3)]))));
}
