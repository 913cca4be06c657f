// Every benchmark `npm run bench` runs, in this order. A listed file that does not exist yet
// (another branch adds it, or its issue is still open) is reported as "not present".

export interface SuiteEntry {
  /** Short name, as `npm run bench -- <name>` selects it and the summary table shows it. */
  name: string;
  /** Script path from the repository root, run as `node --import tsx <file>`. */
  file: string;
  /** What it compares, one line, for the "not present" and "failed" rows. */
  about: string;
}

export const SUITE: readonly SuiteEntry[] = [
  { name: 'http-read', file: 'bench/http-read.ts', about: 'stock(symbol) req/s against raw node:http, mercurius and graphql-yoga' },
  { name: 'execute', file: 'bench/execute.ts', about: 'graphql execution of a stock page in process' },
  { name: 'hot-loaders', file: 'bench/hot-loaders.ts', about: 'the hot loaders on the raw executor against the same batches through Prisma' },
  { name: 'watchlist', file: 'bench/watchlist.ts', about: 'a 50-stock watchlist through GraphQL against two raw SQL queries' },
  { name: 'stocks-page', file: 'bench/stocks-page.ts', about: 'stocks(first: 50) with quotes against PostGraphile 4 on the same database' },
  { name: 'fanout', file: 'bench/fanout.ts', about: 'one tick to graphql-ws subscribers against a raw ws broadcast' },
  { name: 'embedded', file: 'bench/embedded.ts', about: 'the embedded (PGlite) default' },
  { name: 'capacity', file: 'bench/capacity.ts', about: 'per-process figures for docs/SCALING.md: ingest ticks/s, heap per subscriber, bus events/s' },
  { name: 'backfill', file: 'bench/backfill.ts', about: 'CSV backfill against psql \\copy' },
  { name: 'indicators', file: 'bench/indicators.ts', about: 'incremental indicators against recomputing from 200 candles' },
  { name: 'indicator-lag', file: 'bench/indicator-lag.ts', about: 'event-loop lag while the indicator job runs, against idle' },
  { name: 'guards', file: 'bench/guards.ts', about: "another client's latency during each attack, against idle" },
  { name: 'text-guard', file: 'bench/text-guard.ts', about: 'the text-argument check per query, against no check' },
  { name: 'orders', file: 'bench/orders.ts', about: 'paper orders placed and filled per second against raw SQL' },
  { name: 'portfolio-state', file: 'bench/portfolio-state.ts', about: 'portfolio state and analytics against a raw-SQL floor' },
  { name: 'observability', file: 'bench/observability.ts', about: 'one log line per operation, against a silent logger' },
  { name: 'activity-log', file: 'bench/activity-log.ts', about: 'mutations with the activity log on, against off' },
  { name: 'alerts', file: 'bench/alerts.ts', about: 'price alerts evaluated per tick (issue 13)' },
];

/** The entries a command line names, in suite order; all of them when it names none. Throws on an unknown name. */
export function selectEntries(names: readonly string[], suite: readonly SuiteEntry[] = SUITE): SuiteEntry[] {
  if (names.length === 0) return [...suite];
  const known = new Set(suite.map((entry) => entry.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; the suite has: ${suite.map((e) => e.name).join(', ')}`);
  return suite.filter((entry) => names.includes(entry.name));
}
