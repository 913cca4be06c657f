// CSV backfill through IngestService vs psql's \copy of the same file.
//   npm run bench:backfill     (BENCH_DATABASE_URL to use another server; BENCH_SYMBOLS, default 500;
//                               BENCH_DAYS, default 400; BENCH_RUNS, default 3; BENCH_COPY_CHUNK, default 50,000)
// Each run, interleaved: a fresh database gets the stocks and a backfill of the
// file through IngestService + CsvProvider (COPY per chunk, see candle-sql.ts), then the same backfill again (inserts nothing); another
// fresh database gets the same partitions and `psql -c "\copy stock_price …
// FROM file CSV HEADER"` of the same file. Medians of the runs are printed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStockPricePartitions } from '../src/db/partitions.js';
import { IngestService } from '../src/modules/market/ingest.service.js';
import { CsvProvider } from '../src/providers/csv-provider.js';
import { createBenchDatabase, type BenchDatabase } from './support.js';

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 500);
const DAYS = Number(process.env.BENCH_DAYS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

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

  const ours: number[] = [];
  const repeats: number[] = [];
  const copies: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const a = await freshDatabase();
    try {
      const first = await timed(() => new IngestService(a.sql, { copyChunkSize: Number(process.env.BENCH_COPY_CHUNK ?? 50_000) }).backfill(new CsvProvider(file), [], 'DAY', null, null));
      if (first.result.inserted !== rows || first.result.errors.length > 0) throw new Error(`backfill inserted ${first.result.inserted} of ${rows}`);
      const again = await timed(() => new IngestService(a.sql).backfill(new CsvProvider(file), [], 'DAY', null, null));
      if (again.result.inserted !== 0 || again.result.skipped !== rows) throw new Error(`repeat inserted ${again.result.inserted}`);
      ours.push(first.ms);
      repeats.push(again.ms);
      cpu.push(first.cpuMs, again.cpuMs);
    } finally {
      await a.drop();
    }

    const b = await freshDatabase();
    try {
      await ensureStockPricePartitions(b.sql, new Date(START), new Date(START + (DAYS - 1) * 86_400_000));
      // The file has no interval column: the baseline's table takes DAY by default.
      await b.sql.exec(`ALTER TABLE stock_price ALTER COLUMN interval SET DEFAULT 'DAY'`);
      const copy = await timed(() => psql(b.url, `\\copy stock_price(symbol, ts, open, high, low, close, volume) FROM '${file}' CSV HEADER`));
      const [{ n }] = await b.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM stock_price');
      if (n !== rows) throw new Error(`\\copy stored ${n} of ${rows}`);
      copies.push(copy.ms);
    } finally {
      await b.drop();
    }
    console.error(
      `run ${run + 1}: backfill ${seconds(ours[run]!)} (node CPU ${seconds(cpu[2 * run]!)}), repeat ${seconds(repeats[run]!)} (node CPU ${seconds(cpu[2 * run + 1]!)}), \\copy ${seconds(copies[run]!)}`,
    );
  }

  const ratio = median(copies.map((c, i) => c / ours[i]!));
  console.log(`\nCSV backfill, ${rows.toLocaleString('en')} daily rows (${SYMBOLS} symbols × ${DAYS} days), PostgreSQL, Node ${process.version}, median of ${RUNS} interleaved runs\n`);
  console.log('| what | marketgraph | `\\copy` | ratio (\\copy / ours) | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| CSV backfill of ${rows.toLocaleString('en')} rows | ${seconds(median(ours))} | ${seconds(median(copies))} | ${ratio.toFixed(2)}x | ≥ 0.7x |`);
  console.log(`| repeating that backfill (inserts nothing) | ${seconds(median(repeats))} | — | — | ≤ 1 s |`);
  console.log(`\nspread: backfill ${ours.map(seconds).join(', ')}; repeat ${repeats.map(seconds).join(', ')}; \\copy ${copies.map(seconds).join(', ')}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
