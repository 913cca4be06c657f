// Benchmark: graphql `execute()` alone (document parsed and validated once) for
//   { stock(symbol: "AAPL") { symbol name sector marketCap } }
// on the app's schema with a fresh context per operation whose stock row is already cached (no database is
// touched: the dependencies throw if one is), against plain graphql-js on a hand-written schema whose resolver
// returns the same object; then both compiled with graphql-jit. Interleaved rounds; each round's figure is the
// mean µs per operation over BENCH_ITERATIONS operations.
//   npm run bench:execute              (BENCH_ROUNDS, BENCH_ITERATIONS)
import { isDeepStrictEqual } from 'node:util';
import { execute, GraphQLFloat, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, validate, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { MemoryCache } from '../src/cache/memory-cache.js';
import { buildAppSchema } from '../src/composition/schema.js';
import { createContext, type ContextDependencies } from '../src/composition/context.js';
import { StockRowCache } from '../src/modules/stock/stock-row-cache.js';
import { AssetClass, type Stock } from '../src/modules/stock/stock.type.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (IN_SUITE ? 7 : 15));
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (IN_SUITE ? 5_000 : 20_000));
const QUERY = `{ stock(symbol: "AAPL") { symbol name sector marketCap } }`;

const AAPL: Stock = {
  symbol: 'AAPL', name: 'Apple Inc.', sector: 'Technology', industry: 'Consumer Electronics', exchange: 'NASDAQ', currency: 'USD',
  marketCap: 3_400_000_000_000, peRatio: 33.1, dividendYield: 0.0044, eps: 6.43, beta: 1.24, description: null, website: null,
  isActive: true, assetClass: AssetClass.EQUITY,
};

// --- ours: the app's schema and a per-operation context, as Apollo builds one for each request ---
const appSchema = await buildAppSchema();
const rows = new StockRowCache({ ttlMs: 3_600_000 });
rows.set('AAPL', AAPL);
const untouchable = new Proxy({}, { get: (_, key) => { throw new Error(`bench:execute touched a database (${String(key)})`); } });
const deps = {
  stockDb: untouchable, userDb: untouchable, stockSql: untouchable, userSql: untouchable, auth: untouchable, apiKeyVerifier: untouchable,
  bus: untouchable, cache: new MemoryCache(), stockRows: rows, orderConfig: untouchable,
} as unknown as ContextDependencies;
let operations = 0;
const contextValue = () => createContext(deps, `bench-${operations++}`, { viewer: null });

// --- the baseline: plain graphql-js, a hand-written schema, a resolver that returns the object ---
const StockType = new GraphQLObjectType({
  name: 'Stock',
  fields: {
    symbol: { type: new GraphQLNonNull(GraphQLString) },
    name: { type: new GraphQLNonNull(GraphQLString) },
    sector: { type: new GraphQLNonNull(GraphQLString) },
    marketCap: { type: GraphQLFloat },
  },
});
const plainSchema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { stock: { type: StockType, args: { symbol: { type: new GraphQLNonNull(GraphQLString) } }, resolve: (_, args) => (args.symbol === 'AAPL' ? AAPL : null) } },
  }),
});

const document = parse(QUERY);
for (const schema of [appSchema, plainSchema]) {
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(errors.join('\n'));
}
const compile = (schema: GraphQLSchema) => {
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
  return compiled;
};
const [jitApp, jitPlain] = [compile(appSchema), compile(plainSchema)];

const sharedContext = contextValue();
const run = {
  app: () => execute({ schema: appSchema, document, contextValue: contextValue() }),
  appSharedContext: () => execute({ schema: appSchema, document, contextValue: sharedContext }),
  plain: () => execute({ schema: plainSchema, document, contextValue: {} }),
  jitApp: () => jitApp.query(undefined, contextValue(), {}),
  jitPlain: () => jitPlain.query(undefined, {}, {}),
};
type Contender = keyof typeof run;

// Every path must give the same answer before its speed means anything.
const expected = { data: { stock: { symbol: 'AAPL', name: 'Apple Inc.', sector: 'Technology', marketCap: 3_400_000_000_000 } } };
for (const [name, fn] of Object.entries(run)) {
  const result = JSON.parse(JSON.stringify(await fn())) as ExecutionResult;
  if (!isDeepStrictEqual(result, expected)) throw new Error(`${name} answered ${JSON.stringify(result)}`);
}

async function meanMicros(fn: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i += 1) await fn();
  return Number(process.hrtime.bigint() - started) / 1e3 / ITERATIONS;
}

for (const fn of Object.values(run)) await meanMicros(fn);
const times = await interleaved(ROUNDS, Object.fromEntries(Object.entries(run).map(([name, fn]) => [name, () => meanMicros(fn)])) as Record<Contender, () => Promise<number>>);
const median = (name: Contender) => medianSpread(times[name]).median;
const µs = (value: number) => `${value.toFixed(1)} µs`;

console.log(`\n## execute() only: ${QUERY} (${ROUNDS} interleaved rounds of ${ITERATIONS} operations)\n`);
console.log('| path | µs per operation (median of rounds) |');
console.log('|---|---|');
const labels: Record<Contender, string> = {
  app: 'app schema, graphql-js execute, fresh context',
  appSharedContext: 'app schema, graphql-js execute, one context for every operation (its loader answers from its cache)',
  plain: 'hand-written schema, graphql-js execute',
  jitApp: 'app schema, graphql-jit, fresh context',
  jitPlain: 'hand-written schema, graphql-jit',
};
for (const name of Object.keys(run) as Contender[]) console.log(`| ${labels[name]} | ${µs(median(name))} |`);

function row(id: string, what: string, ours: Contender, baseline: Contender, target?: number): BenchRow {
  const ratio = ratioSpread(times[ours], times[baseline]);
  return {
    id: `execute.${id}`,
    what,
    value: µs(median(ours)),
    baseline: `${labels[baseline]} ${µs(median(baseline))}`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    ...(target === undefined ? {} : { target: `≤ ${target}x`, met: ratio.median <= target }),
  };
}
const summary = [
  row('graphql-js', 'stock(symbol) execute(), app against plain graphql-js', 'app', 'plain', 1.2),
  row('jit', 'stock(symbol) with graphql-jit, app against plain graphql-jit', 'jitApp', 'jitPlain', 1.2),
  row('jit-vs-graphql-js', 'stock(symbol), app with graphql-jit against plain graphql-js execute()', 'jitApp', 'plain'),
];
for (const r of summary) console.log(`| ratio: ${r.what} | ${r.ratio!.toFixed(2)}x (${r.spread![0].toFixed(2)}–${r.spread![1].toFixed(2)}) |`);
reportRows(summary);
