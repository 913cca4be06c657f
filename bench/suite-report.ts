// The pure half of `npm run bench`: reading the BENCH_ROWS lines out of a benchmark's output,
// rendering the summary table, and putting it between the markers of docs/BENCHMARKS.md while
// every byte outside them stays as written.
import { ROWS_MARKER, type BenchRow } from './report.js';

export const SUMMARY_START = '<!-- bench:summary:start -->';
export const SUMMARY_END = '<!-- bench:summary:end -->';
const DATA_PREFIX = '<!-- bench:data ';

export type BenchStatus = 'ok' | 'failed' | 'not present';

/** What one benchmark of the suite gave in one run. */
export interface BenchResult {
  name: string;
  /** What the benchmark compares (from the manifest), shown when it has no rows. */
  about: string;
  status: BenchStatus;
  /** The child's exit code; null when a signal ended it. */
  exitCode?: number | null;
  /** Wall time of the child process. */
  seconds?: number;
  /** When it ran (ISO 8601), so a subset run's table shows which rows are older. */
  ranAt: string;
  rows: BenchRow[];
  /** Why it failed when the exit code does not say it all (no BENCH_ROWS line, a timeout, bad JSON). */
  problem?: string;
}

export interface SuiteRun {
  /** ISO 8601 start of this run. */
  startedAt: string;
  /** Cores, RAM, Node and PostgreSQL versions, one line. */
  machine: string;
  /** Wall time of this run, all selected benchmarks together. */
  totalSeconds: number;
  /** The names this run selected; empty for the whole suite. */
  subset: string[];
}

export interface ParsedRows {
  rows: BenchRow[];
  /** One message per BENCH_ROWS line that could not be read. */
  problems: string[];
}

function isRow(value: unknown): value is BenchRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.id === 'string' && typeof row.what === 'string' && typeof row.value === 'string';
}

/** Every row of every BENCH_ROWS line in a benchmark's stdout, whatever else it printed around them. */
export function parseBenchRows(output: string): ParsedRows {
  const rows: BenchRow[] = [];
  const problems: string[] = [];
  for (const rawLine of output.split('\n')) {
    const at = rawLine.indexOf(ROWS_MARKER);
    if (at === -1) continue;
    const json = rawLine.slice(at + ROWS_MARKER.length).trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      problems.push(`a BENCH_ROWS line is not JSON: ${json.slice(0, 80)}`);
      continue;
    }
    if (!Array.isArray(parsed)) {
      problems.push('a BENCH_ROWS line is not an array of rows');
      continue;
    }
    for (const item of parsed) {
      if (isRow(item)) rows.push(item);
      else problems.push(`a BENCH_ROWS entry lacks id, what or value: ${JSON.stringify(item).slice(0, 80)}`);
    }
  }
  return { rows, problems };
}

/** This run's results over the previous ones: a benchmark that ran replaces its earlier result; suite order; names no longer listed drop out. */
export function mergeResults(order: readonly string[], previous: readonly BenchResult[], current: readonly BenchResult[]): BenchResult[] {
  const byName = new Map(previous.map((result) => [result.name, result]));
  for (const result of current) byName.set(result.name, result);
  return order.flatMap((name) => (byName.has(name) ? [byName.get(name)!] : []));
}

const cell = (text: string | undefined) => (text ?? '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** A ratio with as many decimals as it needs to stay readable: 0.43, 2.31, 13.3, 276. */
export function formatRatio(ratio: number): string {
  const abs = Math.abs(ratio);
  return ratio.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

function ratioCell(row: BenchRow): string {
  if (row.ratio === undefined || row.ratio === null) return '';
  const spread = row.spread ? ` (${formatRatio(row.spread[0])}–${formatRatio(row.spread[1])})` : '';
  return `${formatRatio(row.ratio)}x${spread}`;
}

const metCell = (met: boolean | undefined) => (met === undefined || met === null ? '' : met ? '✓' : '✗');

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
}

const day = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const failure = (result: BenchResult) => (result.exitCode === null ? 'killed by a signal' : `exit code ${result.exitCode ?? '?'}`);

function resultRows(result: BenchResult): string[] {
  if (result.status === 'not present') return [`| ${result.name}: ${cell(result.about)} | | | | | | not present |`];
  if (result.status === 'failed') {
    const how = failure(result);
    const why = result.problem ? `; ${result.problem}` : '';
    const failed = `| ${result.name}: ${cell(result.about)} | | | | | ✗ | failed (${how}${cell(why)}) |`;
    // Rows printed before the failure still show, each marked by the failed line above them.
    return [failed, ...result.rows.map((row) => rowLine(result.name, row))];
  }
  return result.rows.map((row) => rowLine(result.name, row));
}

function rowLine(bench: string, row: BenchRow): string {
  return `| ${bench}: ${cell(row.what)} | ${cell(row.value)} | ${cell(row.baseline)} | ${ratioCell(row)} | ${cell(row.target)} | ${metCell(row.met)} | ${cell(row.note)} |`;
}

/** The generated block, markers included: the run line, the summary table, each benchmark's status and time, and the data a subset run merges into. */
export function renderSummary(run: SuiteRun, results: readonly BenchResult[]): string {
  const ran = run.subset.length ? `\`npm run bench -- ${run.subset.join(' ')}\` (the other rows are from earlier runs, dated in the second table)` : '`npm run bench`';
  const timed = results.filter((result) => result.seconds !== undefined);
  const suiteSeconds = timed.reduce((sum, result) => sum + result.seconds!, 0);
  const lines = [
    SUMMARY_START,
    '<!-- Generated by `npm run bench` (bench/run-all.ts): edit the prose below the end marker, not this block. -->',
    '',
    `Last run ${day(run.startedAt)}, ${ran}, with BENCH_SUITE=1 (shorter rounds): ${run.machine}; took ${formatSeconds(run.totalSeconds)}.`,
    '',
    '| row | ours | baseline | ratio (median, spread) | target | met | note |',
    '|---|---|---|---|---|---|---|',
    ...results.flatMap(resultRows),
    '',
    '| benchmark | status | time | ran |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.status === 'failed' ? `failed (${failure(r)})` : r.status} | ${r.seconds === undefined ? '' : formatSeconds(r.seconds)} | ${r.status === 'not present' ? '' : day(r.ranAt)} |`),
    `| all of them | | ${formatSeconds(suiteSeconds)} | |`,
    '',
    // "--" cannot appear inside an HTML comment; in JSON it can only be inside a string, where \u002d reads back the same.
    `${DATA_PREFIX}${JSON.stringify(results).replace(/--/g, '-\\u002d')} -->`,
    SUMMARY_END,
  ];
  return lines.join('\n');
}

/** The results a previous run stored between the markers; none when the file has no block yet. */
export function readStoredResults(document: string): BenchResult[] {
  const block = findBlock(document);
  if (!block) return [];
  const text = document.slice(block.start, block.end);
  const at = text.indexOf(DATA_PREFIX);
  if (at === -1) return [];
  const close = text.indexOf(' -->', at);
  try {
    const parsed = JSON.parse(text.slice(at + DATA_PREFIX.length, close));
    return Array.isArray(parsed) ? (parsed as BenchResult[]) : [];
  } catch {
    return [];
  }
}

function findBlock(document: string): { start: number; end: number } | null {
  const start = document.indexOf(SUMMARY_START);
  if (start === -1) return null;
  const endAt = document.indexOf(SUMMARY_END, start);
  if (endAt === -1) throw new Error(`${SUMMARY_START} has no ${SUMMARY_END} after it`);
  return { start, end: endAt + SUMMARY_END.length };
}

/**
 * The document with `block` (markers included) in place of the one between the markers,
 * every other byte unchanged. With no markers yet, the block goes after the first `# ` title.
 */
export function replaceSummary(document: string, block: string): string {
  const existing = findBlock(document);
  if (existing) return document.slice(0, existing.start) + block + document.slice(existing.end);
  const title = /^# .*$/m.exec(document);
  if (!title) return `${block}\n\n${document}`;
  const afterTitle = title.index + title[0].length;
  return `${document.slice(0, afterTitle)}\n\n${block}${document.slice(afterTitle)}`;
}
