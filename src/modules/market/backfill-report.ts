// What a backfill tells its caller: counts, the rows it rejected (with their
// line numbers) and, per symbol, its earliest new candle.

export interface BackfillProblem {
  line?: number;
  symbol?: string;
  reason: string;
}

export interface BackfillResult {
  /** rows written */
  inserted: number;
  /** good rows not written: already stored, outside [from, to], or (from a file) of symbols not asked for */
  skipped: number;
  /** rejected rows and failed symbols, in the order met */
  errors: BackfillProblem[];
  /** Each symbol that got new candles, with the time of its earliest new one. */
  firstNew: { symbol: string; from: Date }[];
}

/** Collects a BackfillResult; problems past `maxErrors` are summed up in one last entry. */
export class ReportBuilder {
  inserted = 0;
  skipped = 0;
  private readonly errors: BackfillProblem[] = [];
  private omitted = 0;
  private readonly firstNew = new Map<string, Date>();

  constructor(private readonly maxErrors: number) {}

  noteNew(symbol: string, first: Date): void {
    const known = this.firstNew.get(symbol);
    if (!known || first < known) this.firstNew.set(symbol, first);
  }

  /** Rows written, per symbol with its earliest. */
  noteInserted(perSymbol: readonly { symbol: string; first: Date; n: number }[]): number {
    let count = 0;
    for (const { symbol, first, n } of perSymbol) {
      count += n;
      this.noteNew(symbol, first);
    }
    this.inserted += count;
    return count;
  }

  problem(problem: BackfillProblem): void {
    const entry: BackfillProblem = { reason: problem.reason };
    if (problem.line !== undefined) entry.line = problem.line;
    if (problem.symbol !== undefined) entry.symbol = problem.symbol;
    if (this.errors.length < this.maxErrors) this.errors.push(entry);
    else this.omitted += 1;
  }

  result(): BackfillResult {
    const errors = this.omitted > 0 ? [...this.errors, { reason: `${this.omitted} more problems not listed` }] : this.errors;
    const firstNew = [...this.firstNew].sort(([a], [b]) => (a < b ? -1 : 1)).map(([symbol, from]) => ({ symbol, from }));
    return { inserted: this.inserted, skipped: this.skipped, errors, firstNew };
  }
}
