// The one format every benchmark reports in, so `npm run bench` can collect all of them
// into docs/BENCHMARKS.md. A benchmark prints its human table as before and then calls
// `reportRows` once; the runner reads the `BENCH_ROWS` line from its stdout.

/** One row of the summary table: a measured figure against its baseline from the same run. */
export interface BenchRow {
  /** Stable id, unique across the suite: `<bench>.<what>`, e.g. `watchlist.p50`. */
  id: string;
  /** What was measured, as the table shows it. */
  what: string;
  /** Our figure, formatted with its unit (median of the rounds). */
  value: string;
  /** The baseline's name and figure, formatted (`raw node:http 17,002 req/s`); absent when there is none. */
  baseline?: string;
  /**
   * Median over rounds of ours ÷ baseline, oriented so the target reads naturally
   * (for throughput, ours/baseline: higher is better; for latency, ours/baseline: lower is better).
   */
  ratio?: number;
  /** Lowest and highest per-round ratio. */
  spread?: [number, number];
  /** The target as the issue writes it: `≥ 0.5x`, `≤ 1.3x`, `≤ 3 statements`, `≤ 350 MB`. */
  target?: string;
  /** Whether the target is met by this run's median. */
  met?: boolean;
  /** One short sentence when the figure needs it (what was held constant, why missed). */
  note?: string;
}

export const ROWS_MARKER = 'BENCH_ROWS ';

/** Prints the rows for the suite runner (one line, after the benchmark's own output). */
export function reportRows(rows: BenchRow[]): void {
  process.stdout.write(`\n${ROWS_MARKER}${JSON.stringify(rows)}\n`);
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function medianSpread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('medianSpread needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/**
 * Runs every contender once per round, alternating which goes first, so drift on a shared
 * machine (another process, thermal, GC of an earlier round) lands on all of them alike.
 * Each function returns its figure for that round.
 */
export async function interleaved<K extends string>(rounds: number, contenders: Record<K, () => Promise<number>>): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name].push(await contenders[name]());
  }
  return results;
}

/** Per-round ratios a[i] / b[i] with their median and spread. */
export function ratioSpread(ours: readonly number[], baseline: readonly number[]): Spread {
  if (ours.length !== baseline.length) throw new Error(`ratioSpread: ${ours.length} rounds against ${baseline.length}`);
  return medianSpread(ours.map((value, i) => value / baseline[i]!));
}

/** True when running under `npm run bench` (the runner sets it): benchmarks may shorten their rounds. */
export const IN_SUITE = process.env.BENCH_SUITE === '1';
