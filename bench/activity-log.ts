// Benchmark: what the activity log costs a write-heavy API. The same mutation (markStock: auth, a stock
// lookup, one upsert) is sent with 16 in flight to two apps on the same databases, one recording every mutation in
// activity.user_action_logs (the batched writer: queue, flush every second or 500 rows) and one with
// ACTIVITY_LOG_ENABLED=false, in interleaved rounds, on real PostgreSQL.
//   npm run bench:activity-log        (BENCH_DATABASE_URL to use another server; BENCH_MUTATIONS=n per round)
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows } from './report.js';
import { createBenchDatabase, startBenchApp, type BenchApp } from './support.js';

const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? (IN_SUITE ? 400 : 1_500));
const ROUNDS = IN_SUITE ? 3 : 7;
const CONCURRENCY = 16;
const TARGET = 0.9;

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
await seedStockDb(stockDb.sql, { symbols: ['AAPL'], years: 1 });
const logged = await startBenchApp(stockDb, userDb, { ACTIVITY_LOG_ENABLED: 'true' });
const unlogged = await startBenchApp(stockDb, userDb, { ACTIVITY_LOG_ENABLED: 'false' });

const registered = await logged.post(`mutation($i: RegisterInput!) { register(input: $i) { accessToken } }`, {
  i: { email: 'activity@example.com', password: 'benchmark password', fullName: 'Bench' },
});
const token: string = registered.data.register.accessToken;
const MARK = `mutation($note: String!) { markStock(input: { symbol: "AAPL", note: $note }) { symbol } }`;

/** Mutations per second of one round against `bench`. */
async function round(bench: BenchApp): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < MUTATIONS) {
        const result = await bench.post(MARK, { note: `n${next++}` }, token);
        if (result.errors) throw new Error(result.errors[0]!.message);
      }
    }),
  );
  return MUTATIONS / (Number(process.hrtime.bigint() - started) / 1e9);
}

await round(logged);
await round(unlogged);
const results = await interleaved(ROUNDS, { logged: () => round(logged), unlogged: () => round(unlogged) });
await logged.app.activity.writer!.flush();
const stats = logged.app.activity.stats();
const [{ n: rows }] = await userDb.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM activity.user_action_logs');

const ours = medianSpread(results.logged);
const base = medianSpread(results.unlogged);
const ratio = ratioSpread(results.logged, results.unlogged);
console.log(`markStock, ${CONCURRENCY} in flight, ${MUTATIONS} per round, ${ROUNDS} interleaved rounds`);
console.log(`  activity log on : ${ours.median.toFixed(0)} mutations/s (${ours.min.toFixed(0)}-${ours.max.toFixed(0)})`);
console.log(`  activity log off: ${base.median.toFixed(0)} mutations/s (${base.min.toFixed(0)}-${base.max.toFixed(0)})`);
console.log(`  ratio ${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)}); rows written ${rows}, dropped ${stats.dropped}, failed ${stats.failed}`);

await logged.app.close();
await unlogged.app.close();
await stockDb.drop();
await userDb.drop();

reportRows([
  {
    id: 'activity-log.mutations',
    what: 'mutation throughput with every mutation in user_action_logs',
    value: `${ours.median.toFixed(0)} mutations/s`,
    baseline: `activity log off ${base.median.toFixed(0)} mutations/s`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: `≥ ${TARGET}x`,
    met: ratio.median >= TARGET,
    note: `${rows} rows written, ${stats.dropped} dropped, ${stats.failed} failed`,
  },
]);
