import { describe, expect, it } from 'vitest';
import { reportRows, type BenchRow } from '../../bench/report.js';
import { selectEntries, SUITE } from '../../bench/suite.js';
import {
  mergeResults,
  parseBenchRows,
  readStoredResults,
  renderSummary,
  replaceSummary,
  SUMMARY_END,
  SUMMARY_START,
  type BenchResult,
  type SuiteRun,
} from '../../bench/suite-report.js';

const row: BenchRow = { id: 'watchlist.p50', what: 'watchlist p50', value: '11.7 ms', baseline: 'raw SQL 4.6 ms', ratio: 2.54, spread: [2.1, 2.9], target: '≤ 3x', met: true };
const run: SuiteRun = { startedAt: '2026-12-02T05:00:00.000Z', machine: '2 cores, 24 GiB RAM, Node v20.20.2, PostgreSQL 15.20', totalSeconds: 75, subset: [] };
const ok = (name: string, rows: BenchRow[], ranAt = '2026-12-02T05:00:00.000Z'): BenchResult => ({ name, about: `${name} bench`, status: 'ok', exitCode: 0, seconds: 30, ranAt, rows });

/** What reportRows prints, captured. */
function printed(rows: BenchRow[]): string {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    reportRows(rows);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('reading BENCH_ROWS out of a benchmark output', () => {
  it('finds the rows reportRows printed among the benchmark own table and log lines', () => {
    const output = `| path | p50 |\n|---|---|\n| ours | 11.7 ms |\nsome log line\n${printed([row])}trailing noise\n`;
    expect(parseBenchRows(output)).toEqual({ rows: [row], problems: [] });
  });

  it('reads a marker that arrives after unterminated output on the same line', () => {
    expect(parseBenchRows(`progress...BENCH_ROWS ${JSON.stringify([row])}\r\n`).rows).toEqual([row]);
  });

  it('collects the rows of several BENCH_ROWS lines in order', () => {
    const second = { ...row, id: 'watchlist.p99', what: 'watchlist p99' };
    expect(parseBenchRows(printed([row]) + 'between\n' + printed([second])).rows.map((r) => r.id)).toEqual(['watchlist.p50', 'watchlist.p99']);
  });

  it('reports a line that is not JSON and an entry without an id instead of throwing', () => {
    const parsed = parseBenchRows(`BENCH_ROWS [{"id": \nBENCH_ROWS [{"what":"x","value":"1"}, ${JSON.stringify(row)}]\n`);
    expect(parsed.rows).toEqual([row]);
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems[0]).toMatch(/not JSON/);
    expect(parsed.problems[1]).toMatch(/lacks id/);
  });

  it('gives no rows and no problems for output without a marker', () => {
    expect(parseBenchRows('just a table\n| a | b |\n')).toEqual({ rows: [], problems: [] });
  });
});

describe('the summary block', () => {
  it('shows each row with its ratio, spread, target and a check mark', () => {
    const block = renderSummary(run, [ok('watchlist', [row, { ...row, id: 'watchlist.rps', what: 'req/s', ratio: 0.36, spread: [0.3, 0.4], target: '≥ 0.5x', met: false, note: 'CPU-bound' }])]);
    expect(block.startsWith(SUMMARY_START)).toBe(true);
    expect(block.endsWith(SUMMARY_END)).toBe(true);
    expect(block).toContain('| watchlist: watchlist p50 | 11.7 ms | raw SQL 4.6 ms | 2.54x (2.10–2.90) | ≤ 3x | ✓ |  |');
    expect(block).toContain('| watchlist: req/s | 11.7 ms | raw SQL 4.6 ms | 0.36x (0.30–0.40) | ≥ 0.5x | ✗ | CPU-bound |');
    expect(block).toContain('2 cores, 24 GiB RAM, Node v20.20.2, PostgreSQL 15.20; took 1 min 15 s');
  });

  it('shows a failed benchmark with its exit code and keeps the rows it printed before failing', () => {
    const failed: BenchResult = { ...ok('orders', [{ id: 'orders.place', what: 'placed/s', value: '119/s' }]), status: 'failed', exitCode: 3, problem: 'printed no | pipe-safe text' };
    const block = renderSummary(run, [failed]);
    expect(block).toContain('| ✗ | failed (exit code 3; printed no \\| pipe-safe text) |');
    expect(block).toContain('| orders: placed/s | 119/s |');
    expect(block).toContain('| orders | failed (exit code 3) |');
  });

  it('lists a benchmark whose file does not exist as not present', () => {
    const block = renderSummary(run, [{ name: 'alerts', about: 'price alerts (issue 13)', status: 'not present', ranAt: run.startedAt, rows: [] }]);
    expect(block).toContain('| alerts: price alerts (issue 13) | | | | | | not present |');
  });

  it('stores the results so the next run reads back exactly what was rendered, text with "--" and "-->" included', () => {
    const tricky = ok('guards', [{ ...row, id: 'guards.x', note: 'a -- b --> c' }]);
    const document = replaceSummary('# Benchmarks\n\nprose\n', renderSummary(run, [tricky]));
    expect(readStoredResults(document)).toEqual([tricky]);
  });
});

describe('rewriting docs/BENCHMARKS.md', () => {
  const before = '# Benchmarks\n\nIntro paragraph.\n\n';
  const after = '\n\n## Watchlist read\n\nHand-written prose | with pipes\n\n```graphql\n{ a }\n```\ntrailing without newline';

  it('replaces only what lies between the markers, every other byte identical', () => {
    const document = `${before}${SUMMARY_START}\nold table\n${SUMMARY_END}${after}`;
    const rewritten = replaceSummary(document, renderSummary(run, [ok('watchlist', [row])]));
    const start = rewritten.indexOf(SUMMARY_START);
    const end = rewritten.indexOf(SUMMARY_END) + SUMMARY_END.length;
    expect(rewritten.slice(0, start)).toBe(before);
    expect(rewritten.slice(end)).toBe(after);
    expect(rewritten).not.toContain('old table');
  });

  it('gives the same file when rewritten twice with the same block', () => {
    const block = renderSummary(run, [ok('watchlist', [row])]);
    const once = replaceSummary(`${before}${SUMMARY_START}\n${SUMMARY_END}${after}`, block);
    expect(replaceSummary(once, block)).toBe(once);
  });

  it('puts the block under the title when the file has no markers yet, the rest unchanged', () => {
    const rewritten = replaceSummary(`# Benchmarks\nIntro.\n`, 'BLOCK');
    expect(rewritten).toBe('# Benchmarks\n\nBLOCK\nIntro.\n');
  });

  it('refuses a start marker without an end marker rather than swallowing the prose', () => {
    expect(() => replaceSummary(`${before}${SUMMARY_START}\nprose`, 'BLOCK')).toThrow(/no <!-- bench:summary:end -->/);
  });
});

describe('a subset run', () => {
  it('replaces the results of the benchmarks it ran and keeps the others in suite order', () => {
    const previous = [ok('watchlist', [row], '2026-12-01T00:00:00.000Z'), ok('fanout', [{ ...row, id: 'fanout.10k' }], '2026-12-01T00:00:00.000Z'), ok('gone', [])];
    const current = [ok('fanout', [{ ...row, id: 'fanout.10k', value: 'new' }])];
    const merged = mergeResults(['watchlist', 'fanout', 'guards'], previous, current);
    expect(merged.map((r) => [r.name, r.ranAt.slice(0, 10)])).toEqual([['watchlist', '2026-12-01'], ['fanout', '2026-12-02']]);
    expect(merged[1]!.rows[0]!.value).toBe('new');
  });

  it('selects the named benchmarks in suite order and rejects an unknown name', () => {
    expect(selectEntries(['fanout', 'watchlist']).map((e) => e.name)).toEqual(['watchlist', 'fanout']);
    expect(selectEntries([])).toHaveLength(SUITE.length);
    expect(() => selectEntries(['watchlist', 'nope'])).toThrow(/unknown benchmark nope/);
  });

  it('says in the run line which benchmarks it ran', () => {
    expect(renderSummary({ ...run, subset: ['watchlist', 'fanout'] }, [])).toContain('`npm run bench -- watchlist fanout`');
  });
});
