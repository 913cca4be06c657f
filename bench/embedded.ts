// Embedded default against real PostgreSQL: time from spawning the server to a 200 from /readyz on a fresh
// data folder (first start: initdb, migrations, seed) and on the same folder again (second start), and the
// server's RSS once it has been idle a while after each start. Every start is a child process running what
// `npm start` runs (node --import tsx src/main.ts) with jobs on, as a user gets it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { freePort } from '../tests/support/fault-servers.js';
import { BENCH_SERVER_URL } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (IN_SUITE ? 1 : 3));
/** How long the server idles after ready before its RSS is read (the start-up indicator run finishes meanwhile). */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? (IN_SUITE ? 8_000 : 12_000));
/** A loaded shared machine can take minutes for a first start; past this the run fails. */
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 300_000);

interface StartFigures {
  readyMs: number;
  rssMb: number;
  /** CPU seconds the server (and the children it waited for, such as initdb's) had used when ready: less load-bound than wall time. */
  cpuS: number;
}

function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat after the command name: fields 14-17 are utime, stime, cutime, cstime in clock ticks (100 a second).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** One start: spawn, poll /readyz, idle, read RSS, stop. */
async function startOnce(env: Record<string, string>): Promise<StartFigures> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  try {
    let readyMs = 0;
    let cpuS = 0;
    while (!readyMs) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ok) [readyMs, cpuS] = [performance.now() - started, cpuSeconds(child.pid!)];
      else await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs, cpuS, rssMb: rssMb(child.pid!) };
  } finally {
    await stop(child);
  }
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Two starts of a fresh embedded folder. */
async function embeddedRun(): Promise<[StartFigures, StartFigures]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mg-bench-embedded-'));
  try {
    const env = { DATA_DIR: dataDir };
    return [await startOnce(env), await startOnce(env)];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Two starts on fresh, empty PostgreSQL databases (the server migrates and seeds them, as the embedded one does). */
async function postgresRun(): Promise<[StartFigures, StartFigures]> {
  const names = ['stock', 'user'].map((name) => `mg_bench_start_${name}_${randomBytes(4).toString('hex')}`);
  await admin(async (client) => {
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
  });
  const urlOf = (name: string) => Object.assign(new URL(BENCH_SERVER_URL), { pathname: `/${name}` }).toString();
  try {
    const env = { STOCK_DATABASE_URL: urlOf(names[0]!), USER_DATABASE_URL: urlOf(names[1]!), DATA_DIR: join(tmpdir(), 'mg-bench-unused') };
    return [await startOnce(env), await startOnce(env)];
  } finally {
    await admin(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  }
}

const runs: Record<'embedded' | 'postgres', [StartFigures, StartFigures][]> = { embedded: [], postgres: [] };
await interleaved(ROUNDS, {
  embedded: async () => (runs.embedded.push(await embeddedRun()), 0),
  postgres: async () => (runs.postgres.push(await postgresRun()), 0),
});

const pick = (kind: 'embedded' | 'postgres', start: 0 | 1, figure: keyof StartFigures) => runs[kind].map((run) => run[start][figure]);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (mb: number) => `${Math.round(mb)} MB`;

console.log(`embedded default vs real PostgreSQL, ${ROUNDS} round(s), RSS read ${IDLE_MS / 1000} s after ready`);
console.log('start   | embedded ready (CPU) | embedded RSS | PostgreSQL ready (CPU) | PostgreSQL RSS');
for (const start of [0, 1] as const) {
  const median = (kind: 'embedded' | 'postgres', figure: keyof StartFigures) => medianSpread(pick(kind, start, figure)).median;
  const ready = (kind: 'embedded' | 'postgres') => `${seconds(median(kind, 'readyMs'))} (${median(kind, 'cpuS').toFixed(1)} s)`;
  console.log(`${start === 0 ? 'first ' : 'second'}  | ${ready('embedded').padStart(20)} | ${megabytes(median('embedded', 'rssMb')).padStart(12)} | ${ready('postgres').padStart(22)} | ${megabytes(median('postgres', 'rssMb')).padStart(14)}`);
}

function row(id: string, what: string, start: 0 | 1, figure: keyof StartFigures, limit: number): BenchRow {
  const ours = medianSpread(pick('embedded', start, figure));
  const baseline = medianSpread(pick('postgres', start, figure));
  const ratio = ratioSpread(pick('embedded', start, figure), pick('postgres', start, figure));
  const format = figure === 'readyMs' ? seconds : megabytes;
  return {
    id,
    what,
    value: format(ours.median),
    baseline: `real PostgreSQL ${format(baseline.median)}`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: `≤ ${format(limit)}`,
    met: ours.median <= limit,
    ...(figure === 'readyMs'
      ? { note: `CPU to ready ${medianSpread(pick('embedded', start, 'cpuS')).median.toFixed(1)} s vs ${medianSpread(pick('postgres', start, 'cpuS')).median.toFixed(1)} s` }
      : {}),
  };
}

reportRows([
  row('embedded.first-start', 'embedded first start to ready (fresh DATA_DIR)', 0, 'readyMs', 8_000),
  row('embedded.second-start', 'embedded second start to ready', 1, 'readyMs', 3_000),
  row('embedded.rss-first', 'embedded idle RSS after the first start', 0, 'rssMb', 350),
  row('embedded.rss-second', 'embedded idle RSS after a restart', 1, 'rssMb', 350),
]);
