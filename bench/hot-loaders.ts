// Benchmark: each hot loader's batch (50 symbols / one collection) through Prisma, as it was, against the raw
// SQL executor it runs on now, on the same pool of the same real PostgreSQL, mapped to the API's objects.
// Interleaved rounds; each round's figure is the mean of its sequential calls.
//   npm run bench:hot-loaders          (BENCH_DATABASE_URL, BENCH_ROUNDS, BENCH_ITERATIONS)
import { isDeepStrictEqual } from 'node:util';
import { Prisma } from '../src/generated/stock/client.js';
import { openStockDatabase, openUserDatabase, type StockClient } from '../src/db/database.js';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { manyByKey } from '../src/lib/batch.js';
import { latestCandles, likelyWindowMs } from '../src/modules/stock/latest-candles.js';
import { quoteFromCandles, toCandle, toStock, type CandleRow } from '../src/modules/stock/stock.mapper.js';
import { stockRows } from '../src/modules/stock/stock.loaders.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (IN_SUITE ? 5 : 9));
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (IN_SUITE ? 100 : 300));

const stockBench = await createBenchDatabase('stock');
const userBench = await createBenchDatabase('user');
const symbols = SEED_STOCKS.slice(0, 50).map((stock) => stock.symbol);
await seedStockDb(stockBench.sql, { symbols, years: 1 });
const stockDb = await openStockDatabase({ url: stockBench.url, poolMax: 4 });
const userDb = await openUserDatabase({ url: userBench.url, poolMax: 4 });

const account = await userDb.prisma.account.create({ data: { email: 'bench@example.com', passwordHash: 'x', fullName: 'Bench' } });
const collection = await userDb.prisma.customCollection.create({
  data: { accountId: account.id, name: 'Fifty', stocks: { createMany: { data: symbols.map((stockSymbol, position) => ({ stockSymbol, position })) } } },
});

/** The Prisma form of latestCandles' window statement, as it was before the move (bounded to the same window). */
function prismaCandles(prisma: StockClient, wanted: readonly string[], limit: number, from: Date): Promise<CandleRow[]> {
  const columns = Prisma.sql`p.ts, p.open, p.high, p.low, p.close, p.adj_close, p.volume`;
  return prisma.$queryRaw<CandleRow[]>`
    SELECT s.symbol, ${columns}
    FROM unnest(${[...wanted]}::varchar[]) AS s(symbol)
    CROSS JOIN LATERAL (
      SELECT ${columns} FROM stock_price p
      WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval AND p.ts >= ${from}
      ORDER BY p.ts DESC LIMIT ${limit}
    ) p`;
}

const now = new Date();
const quotesFrom = new Date(now.getTime() - likelyWindowMs('DAY', 2));
const candlesFrom = new Date(now.getTime() - likelyWindowMs('DAY', 30));
const quotes = (rows: CandleRow[]) => manyByKey(symbols, rows, (row) => row.symbol).map((candles, i) => quoteFromCandles(symbols[i]!, candles, now));
const candles = (rows: CandleRow[]) => manyByKey(symbols, rows, (row) => row.symbol).map((list) => list.reverse().map(toCandle));

interface Move {
  id: string;
  what: string;
  prisma: () => Promise<unknown>;
  raw: () => Promise<unknown>;
}

const moves: Move[] = [
  {
    id: 'stockRows',
    what: 'stock rows, 50 symbols',
    prisma: async () => (await stockDb.prisma.stock.findMany({ where: { symbol: { in: symbols } } })).map(toStock),
    raw: async () => (await stockRows(stockDb.sql, symbols)).map(toStock),
  },
  {
    id: 'quotes',
    what: 'quotes (latest 2 DAY candles), 50 symbols',
    prisma: async () => quotes(await prismaCandles(stockDb.prisma, symbols, 2, quotesFrom)),
    raw: async () => quotes(await latestCandles(stockDb.sql, symbols, 'DAY', 2, {}, now)),
  },
  {
    id: 'candles',
    what: 'candles(last: 30), 50 symbols',
    prisma: async () => candles(await prismaCandles(stockDb.prisma, symbols, 30, candlesFrom)),
    raw: async () => candles(await latestCandles(stockDb.sql, symbols, 'DAY', 30, {}, now)),
  },
  {
    id: 'collectionSymbols',
    what: 'collection symbols, one list of 50',
    prisma: async () =>
      (await userDb.prisma.customCollectionStock.findMany({
        where: { collectionId: { in: [collection.id] } },
        orderBy: [{ position: 'asc' }, { addedAt: 'asc' }],
        select: { collectionId: true, stockSymbol: true },
      })).map((row) => row.stockSymbol),
    raw: async () =>
      (await userDb.sql.query<{ stock_symbol: string }>(
        'SELECT collection_id, stock_symbol FROM custom_collection_stock WHERE collection_id = ANY($1::uuid[]) ORDER BY position, added_at',
        [[collection.id]],
      )).map((row) => row.stock_symbol),
  },
];

async function meanMicros(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i += 1) await fn();
  return Number(process.hrtime.bigint() - started) / 1e3 / ITERATIONS;
}

const rows: BenchRow[] = [];
console.log(`\n## Hot loaders: Prisma against the raw SQL executor (PostgreSQL; ${ROUNDS} interleaved rounds of ${ITERATIONS} calls)\n`);
console.log('| loader batch | Prisma | raw executor | ratio raw / Prisma |');
console.log('|---|---|---|---|');
for (const move of moves) {
  // Both forms must build the same objects before their speed means anything.
  if (!isDeepStrictEqual(await move.prisma(), await move.raw())) throw new Error(`${move.id}: Prisma and raw results differ`);
  for (let i = 0; i < 50; i += 1) await Promise.all([move.prisma(), move.raw()]);
  const times = await interleaved(ROUNDS, { prisma: () => meanMicros(move.prisma), raw: () => meanMicros(move.raw) });
  const [prisma, raw, ratio] = [medianSpread(times.prisma), medianSpread(times.raw), ratioSpread(times.raw, times.prisma)];
  console.log(`| ${move.what} | ${prisma.median.toFixed(0)} µs | ${raw.median.toFixed(0)} µs | ${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}) |`);
  rows.push({
    id: `hot-loaders.${move.id}`,
    what: `${move.what}, raw executor against Prisma`,
    value: `${raw.median.toFixed(0)} µs`,
    baseline: `Prisma ${prisma.median.toFixed(0)} µs`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: '< 1x',
    met: ratio.median < 1,
  });
}
reportRows(rows);

await Promise.all([stockDb.close(), userDb.close()]);
await Promise.all([stockBench.drop(), userBench.drop()]);
