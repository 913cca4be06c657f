// `npm run bench`: every benchmark of bench/suite.ts, one after another as child processes with
// BENCH_SUITE=1 (shorter rounds), output streamed; then the summary table at the top of
// docs/BENCHMARKS.md is rewritten between its markers (the prose below stays as written).
//   npm run bench                       the whole suite
//   npm run bench -- watchlist fanout   a subset: only their rows are replaced
//   npm run bench -- --no-write ...     print the table, leave the file alone
// Exits 1 when a benchmark failed (after writing the rest), 2 on an unknown name.
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SUITE, selectEntries, type SuiteEntry } from './suite.js';
import { runEntry } from './suite-runner.js';
import { formatSeconds, mergeResults, readStoredResults, renderSummary, replaceSummary, type BenchResult } from './suite-report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const documentPath = join(root, 'docs', 'BENCHMARKS.md');
const args = process.argv.slice(2);
const write = !args.includes('--no-write');
const names = args.filter((arg) => !arg.startsWith('--'));
/** Per-benchmark limit in seconds, so one hung benchmark cannot stall the suite. @default 900 */
const timeoutMs = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 900) * 1000;

let entries: SuiteEntry[];
try {
  entries = selectEntries(names);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]!.server_version.split(' ')[0]}`;
  } catch (error) {
    return `PostgreSQL unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const machine = `${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${await postgresVersion()}`;
const startedAt = new Date().toISOString();
const started = performance.now();
const results: BenchResult[] = [];
let interrupted = false;
// Ctrl-C stops the running benchmark (suite-runner passes the signal on) and the suite; what ran is still written.
const interrupt = () => (interrupted = true);
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
for (const entry of entries) {
  if (interrupted) break;
  console.log(`\n=== bench ${entry.name} (${entry.file}) ===`);
  const result = await runEntry(entry, { cwd: root, timeoutMs });
  results.push(result);
  const took = result.seconds === undefined ? '' : ` in ${formatSeconds(result.seconds)}`;
  console.log(`=== ${entry.name}: ${result.status}${took}${result.problem ? ` (${result.problem})` : ''}, ${result.rows.length} rows ===`);
}
const totalSeconds = (performance.now() - started) / 1000;
// The benchmark the interrupt stopped keeps its previous row rather than a failure nobody caused.
if (interrupted && results.at(-1)?.exitCode === null) results.pop();

const document = await readFile(documentPath, 'utf8');
const merged = mergeResults(SUITE.map((entry) => entry.name), readStoredResults(document), results);
// An interrupted run says which benchmarks it did run, as a subset would.
const block = renderSummary({ startedAt, machine, totalSeconds, subset: interrupted ? results.map((r) => r.name) : names }, merged);
if (write) {
  await writeFile(documentPath, replaceSummary(document, block));
  console.log(`\ndocs/BENCHMARKS.md: summary rewritten (${results.length} benchmarks run, ${formatSeconds(totalSeconds)})`);
} else {
  console.log(`\n${block}`);
}
const failed = results.filter((result) => result.status === 'failed');
if (interrupted) console.error(`interrupted after ${results.length} of ${entries.length} benchmarks`);
if (failed.length > 0 || interrupted) {
  console.error(`failed: ${failed.map((result) => `${result.name} (exit code ${result.exitCode})`).join(', ')}`);
  process.exitCode = 1;
}
