// CSV backfill through IngestService vs psql's \copy of the same file.
//   npm run bench:backfill     (BENCH_DATABASE_URL to use another server; BENCH_SYMBOLS, default 500;
//                               BENCH_DAYS, default 400; BENCH_RUNS, default 5 (3 in the suite); BENCH_COPY_CHUNK, default 50,000)
// Each round, interleaved (bench/report.ts), three contenders, each on a fresh database with the stocks:
// a backfill of the file through IngestService + CsvProvider (csv-copy-reader.ts straight into COPY,
// two chunks at once) then the same backfill again (inserts nothing); the same first backfill with
// copyParallelism 1 (one connection); and `psql -c "\copy stock_price(…) FROM file CSV HEADER"` of the
// same file into a database with the same partitions. Ratios per round, medians and spreads printed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStockPricePartitions } from '../src/db/partitions.js';
import { IngestService } from '../src/modules/market/ingest.service.js';
import { CsvProvider } from '../src/providers/csv-provider.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows } from './report.js';
import { createBenchDatabase, type BenchDatabase } from './support.js';

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 500);
const DAYS = Number(process.env.BENCH_DAYS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? (IN_SUITE ? 3 : 5));
const CHUNK = Number(process.env.BENCH_COPY_CHUNK ?? 50_000);
const START = Date.UTC(1990, 0, 1);

async function freshDatabase(): Promise<BenchDatabase> {
  const db = await createBenchDatabase('stock');
  await db.sql.exec(`INSERT INTO stock (symbol, name, sector, industry, exchange)
    SELECT 'B' || lpad(i::text, 4, '0'), 'Bench ' || i, 'Technology', 'Software', 'NYSE' FROM generate_series(1, ${SYMBOLS}) AS i`);
  return db;
}

function psql(url: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`))));
  });
}

/** Wall time, and this process's CPU time (the backfill's JS side; PostgreSQL's work is not in it). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const withSpread = (xs: number[]) => {
  const s = medianSpread(xs);
  return `${seconds(s.median)} (${seconds(s.min).slice(0, -2)}–${seconds(s.max)})`;
};

/** The file of SYMBOLS × DAYS daily rows; returns the row count (the lines are not kept alive). */
async function writeHistory(file: string): Promise<number> {
  const lines = ['symbol,date,open,high,low,close,volume'];
  for (let s = 1; s <= SYMBOLS; s++) {
    const symbol = 'B' + String(s).padStart(4, '0');
    for (let d = 0; d < DAYS; d++) lines.push(`${symbol},${new Date(START + d * 86_400_000).toISOString().slice(0, 10)},100.5,101.25,99.75,100.125,${1_000_000 + d}`);
  }
  await writeFile(file, lines.join('\n') + '\n');
  return lines.length - 1;
}

const dir = await mkdtemp(join(tmpdir(), 'mg-bench-backfill-'));
try {
  const file = join(dir, 'history.csv');
  const rows = await writeHistory(file);
  const repeats: number[] = [];
  const cpu: { first: number[]; repeat: number[] } = { first: [], repeat: [] };

  const backfill = (copyParallelism: number, again: boolean) => async () => {
    const db = await freshDatabase();
    try {
      const first = await timed(() => new IngestService(db.sql, { copyChunkSize: CHUNK, copyParallelism }).backfill(new CsvProvider(file), [], 'DAY', null, null));
      if (first.result.inserted !== rows || first.result.errors.length > 0) throw new Error(`backfill inserted ${first.result.inserted} of ${rows}`);
      if (again) {
        const repeat = await timed(() => new IngestService(db.sql, { copyChunkSize: CHUNK }).backfill(new CsvProvider(file), [], 'DAY', null, null));
        if (repeat.result.inserted !== 0 || repeat.result.skipped !== rows) throw new Error(`repeat inserted ${repeat.result.inserted}`);
        repeats.push(repeat.ms);
        cpu.first.push(first.cpuMs);
        cpu.repeat.push(repeat.cpuMs);
      }
      return first.ms;
    } finally {
      await db.drop();
    }
  };
  const copy = async () => {
    const db = await freshDatabase();
    try {
      await ensureStockPricePartitions(db.sql, new Date(START), new Date(START + (DAYS - 1) * 86_400_000));
      // The file has no interval column: the baseline's table takes DAY by default.
      await db.sql.exec(`ALTER TABLE stock_price ALTER COLUMN interval SET DEFAULT 'DAY'`);
      const { ms } = await timed(() => psql(db.url, `\\copy stock_price(symbol, ts, open, high, low, close, volume) FROM '${file}' CSV HEADER`));
      const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM stock_price');
      if (n !== rows) throw new Error(`\\copy stored ${n} of ${rows}`);
      return ms;
    } finally {
      await db.drop();
    }
  };

  const runs = await interleaved(RUNS, { ours: backfill(2, true), oneConnection: backfill(1, false), copy });
  runs.ours.forEach((ms, i) =>
    console.error(`round ${i + 1}: backfill ${seconds(ms)} (node CPU ${seconds(cpu.first[i]!)}), one connection ${seconds(runs.oneConnection[i]!)}, repeat ${seconds(repeats[i]!)} (node CPU ${seconds(cpu.repeat[i]!)}), \\copy ${seconds(runs.copy[i]!)}`),
  );
  const first = ratioSpread(runs.copy, runs.ours);
  const single = ratioSpread(runs.copy, runs.oneConnection);
  const repeat = medianSpread(repeats);
  console.log(`\nCSV backfill, ${rows.toLocaleString('en')} daily rows (${SYMBOLS} symbols × ${DAYS} days), PostgreSQL, Node ${process.version}, ${RUNS} interleaved rounds, medians (min–max)\n`);
  console.log('| what | marketgraph | `\\copy` | ratio (\\copy / ours) | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| CSV backfill of ${rows.toLocaleString('en')} rows | ${withSpread(runs.ours)} | ${withSpread(runs.copy)} | ${first.median.toFixed(2)}x (${first.min.toFixed(2)}–${first.max.toFixed(2)}) | ≥ 0.7x |`);
  console.log(`| the same, one connection (copyParallelism 1) | ${withSpread(runs.oneConnection)} | | ${single.median.toFixed(2)}x (${single.min.toFixed(2)}–${single.max.toFixed(2)}) | — |`);
  console.log(`| repeating that backfill (inserts nothing) | ${withSpread(repeats)} | — | — | ≤ 1 s |`);
  console.log(`\nnode CPU: first ${withSpread(cpu.first)}, repeat ${withSpread(cpu.repeat)}`);
  const copyMedian = seconds(medianSpread(runs.copy).median);
  reportRows([
    {
      id: 'backfill.first', what: `CSV backfill of ${rows.toLocaleString('en')} daily rows (\\copy time / ours)`, value: seconds(medianSpread(runs.ours).median),
      baseline: `psql \\copy ${copyMedian}`, ratio: first.median, spread: [first.min, first.max], target: '≥ 0.7x', met: first.median >= 0.7,
      note: 'two chunks load at once on two connections',
    },
    {
      id: 'backfill.first-one-connection', what: 'the same backfill on one connection (copyParallelism 1)', value: seconds(medianSpread(runs.oneConnection).median),
      baseline: `psql \\copy ${copyMedian}`, ratio: single.median, spread: [single.min, single.max],
    },
    { id: 'backfill.repeat', what: 'repeating that backfill (inserts nothing)', value: seconds(repeat.median), target: '≤ 1 s', met: repeat.median <= 1000 },
  ]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
