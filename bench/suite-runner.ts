// Runs one benchmark of the suite as a child process and turns what it printed into a result.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SuiteEntry } from './suite.js';
import { parseBenchRows, type BenchResult } from './suite-report.js';

export interface RunOptions {
  /** Repository root the manifest's paths are relative to. */
  cwd: string;
  /** Where the child's stdout and stderr are streamed as they arrive. @default process.stdout / process.stderr */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** A benchmark still running after this long is stopped and reported failed. @default 900_000 (15 min) */
  timeoutMs?: number;
  /** Extra environment for the child, over this process's and BENCH_SUITE=1. @default {} */
  env?: Record<string, string>;
}

/** Runs `entry` with BENCH_SUITE=1, streaming its output; never throws for the benchmark's own failure. */
export async function runEntry(entry: SuiteEntry, options: RunOptions): Promise<BenchResult> {
  const ranAt = new Date().toISOString();
  const base = { name: entry.name, about: entry.about, ranAt };
  const file = resolve(options.cwd, entry.file);
  if (!existsSync(file)) return { ...base, status: 'not present', rows: [] };

  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, BENCH_SUITE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a timeout also stops the children it started (fan-out clients, workers).
    detached: true,
  });
  const chunks: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    chunks.push(chunk);
    stdout.write(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.write(chunk));

  let timedOut = false;
  const stopGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  // The child's own group does not get the terminal's Ctrl-C: pass it on, or the benchmark would
  // outlive the runner with its servers and databases.
  const forward = (signal: NodeJS.Signals) => stopGroup(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup('SIGTERM');
    killer = setTimeout(() => stopGroup('SIGKILL'), 5_000);
  }, options.timeoutMs ?? 900_000);

  const exitCode = await new Promise<number | null>((done) => {
    child.on('error', (error) => {
      stderr.write(`${entry.name}: ${error.message}\n`);
      done(-1);
    });
    child.on('close', (code) => done(code));
  });
  clearTimeout(timer);
  clearTimeout(killer);
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  const seconds = (performance.now() - started) / 1000;

  const { rows, problems } = parseBenchRows(chunks.join(''));
  if (timedOut) problems.unshift(`stopped after ${Math.round((options.timeoutMs ?? 900_000) / 1000)} s`);
  if (exitCode === 0 && rows.length === 0 && problems.length === 0) problems.push('printed no BENCH_ROWS line');
  const failed = exitCode !== 0 || problems.length > 0;
  return {
    ...base,
    status: failed ? 'failed' : 'ok',
    exitCode,
    seconds,
    rows,
    ...(problems.length ? { problem: problems.join('; ') } : {}),
  };
}
