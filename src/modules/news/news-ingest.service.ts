import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Logger } from '../../log.js';
import type { NewsProvider, RawArticle } from '../../providers/news/index.js';
import type { SentimentAnalyzer } from '../../providers/sentiment/index.js';
import { canonicalUrl, dropDuplicates, utcDay } from './dedupe.js';
import { insertArticles, knownArticles, matchableStocks, NEWS_WRITE_LOCK_KEY, type NewArticle } from './news-ingest.sql.js';
import { createSymbolMatcher } from './symbol-matcher.js';

/** Articles per transaction: few enough that a transaction on the embedded PGlite (on this thread) stays short. */
export const NEWS_BATCH_SIZE = 50;
/** Older articles are not stored: a feed's archive would otherwise create a partition for every month back to it. */
export const NEWS_MAX_AGE_DAYS = 90;
/** Matching yields to the event loop after this many articles, so a large fetch never holds it long. */
const SLICE = 25;
/**
 * Texts per analyzer call, with a yield after each: the local lexicon analyzer is CPU work on this thread (1-4 ms a
 * text, measured), a remote one waits on the network and is better called with more at once.
 */
const scoreSlice = (analyzer: SentimentAnalyzer) => (analyzer.name === 'lexicon' ? 4 : 25);
const DAY_MS = 86_400_000;

export interface NewsIngestResult {
  fetched: number;
  /** Naming at least one known stock, recent, not a duplicate of each other or of what was stored. */
  stored: number;
  /** Distinct symbols of the stored articles. */
  symbols: string[];
}

export interface NewsIngestOptions {
  sql: SqlExecutor;
  provider: NewsProvider;
  analyzer: SentimentAnalyzer;
  logger: Logger;
  /** Told of the symbols that got new articles after each run that stored any (the sentiment summaries refresh). */
  onArticlesStored?: (symbols: string[]) => Promise<void>;
  now?: () => Date;
}

type Candidate = Omit<NewArticle, 'sentimentLabel' | 'sentimentScore' | 'sentimentAnalyzer'>;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Fetch, match symbols, de-duplicate, score, store: the news job's one run. Articles naming no known stock are not
 * stored. Re-running it stores nothing twice: de-duplication runs against the stored articles inside each batch's
 * transaction, under a lock that serialises concurrent writers.
 */
export class NewsIngestService {
  constructor(private readonly options: NewsIngestOptions) {}

  async ingest(signal?: AbortSignal): Promise<NewsIngestResult> {
    const { provider, logger } = this.options;
    const raw = await provider.fetch(signal);
    const candidates = await this.candidates(raw);
    const fresh = await this.dropKnown(candidates, this.options.sql);
    const symbols = new Set<string>();
    let stored = 0;
    for (let i = 0; i < fresh.length && !signal?.aborted; i += NEWS_BATCH_SIZE) {
      const batch = await this.score(fresh.slice(i, i + NEWS_BATCH_SIZE));
      const written = await this.store(batch);
      stored += written.length;
      for (const article of written) for (const symbol of article.symbols) symbols.add(symbol);
    }
    const result = { fetched: raw.length, stored, symbols: [...symbols].sort() };
    logger.info({ provider: provider.name, ...result, symbols: result.symbols.length }, 'news ingested');
    if (result.symbols.length > 0 && this.options.onArticlesStored) {
      try {
        await this.options.onArticlesStored(result.symbols);
      } catch (err) {
        logger.error({ err }, 'onArticlesStored hook failed; the articles are stored');
      }
    }
    return result;
  }

  /** Recent articles with their symbols (the provider's known ones and those the text names), duplicates within the fetch dropped. */
  private async candidates(raw: readonly RawArticle[]): Promise<Candidate[]> {
    if (raw.length === 0) return [];
    const stocks = await matchableStocks(this.options.sql);
    const known = new Set(stocks.map((s) => s.symbol));
    const matcher = createSymbolMatcher(stocks);
    await matcher.prepare();
    const now = (this.options.now ?? (() => new Date()))();
    const oldest = now.getTime() - NEWS_MAX_AGE_DAYS * DAY_MS;
    const out: Candidate[] = [];
    for (let i = 0; i < raw.length; i++) {
      if (i > 0 && i % SLICE === 0) await yieldToEventLoop();
      const article = raw[i]!;
      const url = canonicalUrl(article.url);
      if (article.publishedAt.getTime() < oldest || url.length > 2000 || article.url.length > 2000) continue;
      const named = matcher.match(`${article.title}\n${article.summary ?? ''}`);
      const symbols = [...new Set([...(article.symbols ?? []).filter((s) => known.has(s)), ...named])];
      if (symbols.length === 0) continue;
      out.push({
        title: article.title,
        url: article.url,
        canonicalUrl: url,
        source: article.source,
        summary: article.summary,
        // A feed's clock ahead of ours must not put an article at the top of every list for hours.
        publishedAt: article.publishedAt.getTime() > now.getTime() ? now : article.publishedAt,
        symbols,
      });
    }
    return dropDuplicates(out, new Set(), []);
  }

  private async dropKnown<T extends Candidate>(candidates: readonly T[], sql: SqlExecutor): Promise<T[]> {
    if (candidates.length === 0) return [];
    const known = await knownArticles(
      sql,
      candidates.map((c) => c.canonicalUrl),
      [...new Set(candidates.map((c) => utcDay(c.publishedAt)))],
    );
    return dropDuplicates(candidates, known.urls, known.titles);
  }

  private async score(batch: readonly Candidate[]): Promise<NewArticle[]> {
    const out: NewArticle[] = [];
    const size = scoreSlice(this.options.analyzer);
    for (let i = 0; i < batch.length; i += size) {
      const slice = batch.slice(i, i + size);
      const scores = await this.options.analyzer.score(slice.map((a) => (a.summary ? `${a.title}. ${a.summary}` : a.title)));
      slice.forEach((article, k) => {
        const s = scores[k]!;
        out.push({ ...article, sentimentLabel: s.label, sentimentScore: Math.max(-1, Math.min(1, s.score)), sentimentAnalyzer: s.analyzer.slice(0, 50) });
      });
      await yieldToEventLoop();
    }
    return out;
  }

  /** One transaction: the write lock, the duplicates check again (another writer may have stored some meanwhile), the inserts. */
  private store(batch: readonly NewArticle[]): Promise<NewArticle[]> {
    return this.options.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [NEWS_WRITE_LOCK_KEY]);
      const fresh = await this.dropKnown(batch, tx);
      await insertArticles(tx, fresh);
      return fresh;
    });
  }
}
