// Event-loop lag of the API process while the indicator job runs, next to idle.
//   npm run bench:indicator-lag        (BENCH_DATABASE_URL to use another server; BENCH_SYMBOLS, default 500;
//                                     BENCH_BACKFILL_ROWS, default 200,000)
// A fresh PostgreSQL database gets BENCH_SYMBOLS stocks with two years of daily
// candles (weekdays); then, each measured with perf_hooks.monitorEventLoopDelay:
// idle; the first full run (every symbol from its first candle: a first start),
// in the worker pool and on the main thread in slices; the steady 5-minute run
// (one new candle per symbol, folded into the saved states); and the job as it
// was before (IndicatorService.recompute: every candle read, computed and
// written in one pass).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStockDatabase } from '../src/db/database.js';
import { IndicatorHistory } from '../src/modules/indicator/indicator-history.js';
import { IndicatorService } from '../src/modules/indicator/indicator.service.js';
import { IngestService } from '../src/modules/market/ingest.service.js';
import { CsvProvider } from '../src/providers/csv-provider.js';
import { createIndicatorCompute } from '../src/workers/indicator-pool.js';
import { IN_SUITE, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase } from './support.js';

// Under the suite a smaller universe: the lag comes from the size of a slice, not the number of symbols.
const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? (IN_SUITE ? 200 : 500));
const DAYS = 2 * 365;
const BACKFILL_ROWS = Number(process.env.BENCH_BACKFILL_ROWS ?? (IN_SUITE ? 80_000 : 200_000));

interface Lag {
  p50: number;
  p99: number;
  max: number;
}

async function lagDuring(run: () => Promise<unknown>): Promise<{ lag: Lag; ms: number; result: unknown }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  histogram.disable();
  const toMs = (ns: number) => ns / 1e6;
  return { lag: { p50: toMs(histogram.percentile(50)), p99: toMs(histogram.percentile(99)), max: toMs(histogram.max) }, ms, result };
}

const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const db = await createBenchDatabase('stock');
try {
  await db.sql.exec(`
    INSERT INTO stock (symbol, name, sector, industry, exchange)
      SELECT 'B' || lpad(i::text, 4, '0'), 'Bench ' || i, 'Technology', 'Software', 'NYSE' FROM generate_series(1, ${SYMBOLS}) AS i;
    INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
      SELECT s.symbol, 'DAY', d, c, c + 1, c - 1, c, c, 1000000 + (n * 7919) % 500000, 'bench'
      FROM stock s
      CROSS JOIN LATERAL (
        SELECT d, row_number() OVER (ORDER BY d) AS n FROM generate_series(date_trunc('day', now()) - interval '${DAYS} days', date_trunc('day', now()) - interval '1 day', interval '1 day') AS d
        WHERE extract(isodow FROM d) < 6
      ) days
      CROSS JOIN LATERAL (SELECT round((100 + 20 * sin(n / 15.0 + length(s.symbol) + right(s.symbol, 3)::int) + n * 0.05)::numeric, 2) AS c) price;
    ANALYZE stock_price;`);
  const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_price`);
  const stock = await openStockDatabase({ url: db.url, poolMax: 4 });
  const rows: string[] = [];
  const measured = new Map<string, { what: string; lag: Lag; ms: number }>();
  const row = (what: string, r: { lag: Lag; ms: number }, extra = '', key = what) => (measured.set(key, { what, lag: r.lag, ms: r.ms }),
    rows.push(`| ${what} | ${r.lag.p50.toFixed(1)} | ${r.lag.p99.toFixed(1)} | ${r.lag.max.toFixed(1)} | ${(r.ms / 1000).toFixed(2)} s | ${extra} |`));

  row('idle (3 s)', await lagDuring(() => idle(3000)), '', 'idle');

  const pooled = createIndicatorCompute(1);
  await pooled.run([]); // start the worker (and tsx in it) before measuring
  const history = new IndicatorHistory(stock.sql, pooled);
  const full = await lagDuring(() => history.refresh());
  const fullReport = full.result as Awaited<ReturnType<IndicatorHistory['refresh']>>;
  row('first full run, worker pool (1 thread)', full, `${fullReport.symbols} symbols, ${fullReport.points} points`, 'pool');

  await db.sql.exec(`INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
    SELECT symbol, 'DAY', date_trunc('day', now()), 101, 103, 99, 102, 102, 1234567, 'bench' FROM stock`);
  const steady = await lagDuring(() => history.refresh());
  const steadyReport = steady.result as Awaited<ReturnType<IndicatorHistory['refresh']>>;
  row('5-minute run: one new candle per symbol, from saved states', steady, `${steadyReport.incremental} incremental, ${steadyReport.points} points`, 'steady');

  await db.sql.exec(`TRUNCATE technical_indicator, indicator_state`);
  const inline = new IndicatorHistory(stock.sql, createIndicatorCompute(0));
  const sliced = await lagDuring(() => inline.refresh());
  row('first full run, main thread in slices (INDICATOR_WORKERS=0)', sliced, `${(sliced.result as { symbols: number }).symbols} symbols`, 'sliced');

  await db.sql.exec(`TRUNCATE technical_indicator, indicator_state`);
  const before = await lagDuring(() => new IndicatorService(stock.prisma).recompute());
  row('the job before this change (one pass over every candle)', before, `${(before.result as Map<string, unknown>).size} symbols`, 'one-pass');

  // A CSV backfill of BACKFILL_ROWS daily rows (the parse streams; each 5,000-row chunk is one INSERT).
  const csvDir = await mkdtemp(join(tmpdir(), 'mg-bench-csv-'));
  try {
    const file = join(csvDir, 'history.csv');
    const days = Math.ceil(BACKFILL_ROWS / SYMBOLS);
    const lines = ['symbol,date,open,high,low,close,volume'];
    const start = Date.UTC(1990, 0, 1);
    for (let s = 1; s <= SYMBOLS; s++) {
      const symbol = 'B' + String(s).padStart(4, '0');
      for (let d = 0; d < days; d++) lines.push(`${symbol},${new Date(start + d * 86_400_000).toISOString().slice(0, 10)},100.5,101.25,99.75,100.125,${1_000_000 + d}`);
    }
    await writeFile(file, lines.join('\n') + '\n');
    const ingest = new IngestService(stock.sql);
    const backfill = await lagDuring(() => ingest.backfill(new CsvProvider(file), [], 'DAY', null, null));
    row(`CSV backfill, ${(lines.length - 1).toLocaleString('en')} rows`, backfill, `${(backfill.result as { inserted: number }).inserted.toLocaleString('en')} inserted`, 'backfill');
  } finally {
    await rm(csvDir, { recursive: true, force: true });
  }

  await pooled.close();
  await stock.close();
  console.log(`\nIndicator job vs event-loop lag: ${SYMBOLS} symbols, ${n.toLocaleString('en')} daily candles, PostgreSQL, Node ${process.version}\n`);
  console.log('| run | lag p50 (ms) | lag p99 (ms) | lag max (ms) | duration | |');
  console.log('|---|---|---|---|---|---|');
  for (const line of rows) console.log(line);

  // One pass each, not interleaved: every run starts from the state the one before left (saved
  // indicator states, truncated tables), so there is no spread to report. The rows compare the
  // longest hold (max): the histogram takes one sample per timer turn, so a job that blocks the
  // loop for 3 s counts as one sample and its p99 can look better than a sliced job's.
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const idleLag = measured.get('idle')!;
  const onePass = measured.get('one-pass')!;
  const benchRows: BenchRow[] = [];
  for (const [key, against] of [['pool', onePass], ['steady', onePass], ['sliced', onePass], ['one-pass', idleLag], ['backfill', idleLag]] as const) {
    const r = measured.get(key)!;
    benchRows.push({
      id: `indicator-lag.${key}`, what: `longest event-loop hold (lag max), ${r.what}`, value: ms(r.lag.max),
      baseline: `${key === 'pool' || key === 'steady' || key === 'sliced' ? 'the one-pass job' : 'idle'} ${ms(against.lag.max)}`,
      ratio: r.lag.max / against.lag.max,
      note: `p99 ${ms(r.lag.p99)}, took ${(r.ms / 1000).toFixed(2)} s; ${SYMBOLS} symbols; one pass, no rounds`,
    });
  }
  reportRows(benchRows);
} finally {
  await db.drop();
}
