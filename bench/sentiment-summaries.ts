// Benchmark: Stock.sentiment's batch for 100 symbols (one statement per window, computeSummaries) against one
// statement per symbol, and a whole refreshSentiment, on 50,000 articles over 60 days on a real PostgreSQL.
//   node --import tsx bench/sentiment-summaries.ts      (BENCH_DATABASE_URL, BENCH_ITERATIONS)
import { computeSummaries } from '../src/modules/sentiment/sentiment.summary.js';
import { createSentimentRefresher } from '../src/modules/sentiment/sentiment.refresh.js';
import { SentimentWindow } from '../src/modules/sentiment/sentiment.type.js';
import { createLogger } from '../src/log.js';
import { MemoryEventBus } from '../src/realtime/memory-event-bus.js';
import { createBenchDatabase, fmt, measure } from './support.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const bench = await createBenchDatabase('stock');
try {
  const symbols = Array.from({ length: 100 }, (_, i) => `S${i}`);
  await bench.sql.query(`SELECT ensure_news_article_partitions(now() - interval '90 days', now())`);
  await bench.sql.exec(`
    INSERT INTO news_article (title, url, canonical_url, source, published_at, sentiment_label, sentiment_score, sentiment_analyzer)
    SELECT 'h' || g, 'u' || g, 'u' || g, 'bench', now() - (g % 1440) * interval '1 hour', 'NEUTRAL', ((g % 200) - 100) / 100.0, 'lexicon'
    FROM generate_series(1, 50000) g;
    INSERT INTO news_article_stock (article_id, published_at, symbol) SELECT id, published_at, 'S' || (id % 100) FROM news_article;
    ANALYZE news_article; ANALYZE news_article_stock;`);
  for (const window of Object.values(SentimentWindow)) {
    const batched = await measure(() => computeSummaries(bench.sql, symbols, window, new Date()), ITERATIONS);
    const perSymbol = await measure(() => Promise.all(symbols.map((s) => computeSummaries(bench.sql, [s], window, new Date()))), ITERATIONS);
    console.log(`${window}: batched ${fmt(batched.p50Ms)} p50, per symbol ${fmt(perSymbol.p50Ms)} p50 (${(perSymbol.p50Ms / batched.p50Ms).toFixed(1)}x)`);
  }
  const refresh = createSentimentRefresher({ sql: bench.sql, bus: new MemoryEventBus(createLogger('silent')) });
  const first = process.hrtime.bigint();
  const published = await refresh(symbols);
  console.log(`refreshSentiment, 100 symbols, nothing stored yet: ${fmt(Number(process.hrtime.bigint() - first) / 1e6)} (${published.length} published)`);
  const unchanged = await measure(() => refresh(symbols), ITERATIONS, 1);
  console.log(`refreshSentiment, 100 symbols, unchanged: ${fmt(unchanged.p50Ms)} p50`);
} finally {
  await bench.drop();
}
