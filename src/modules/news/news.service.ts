import type { SqlExecutor } from '../../db/sql-executor.js';
import { toPage } from '../../graphql/relay.js';
import type { StockService } from '../stock/stock.service.js';
import type { NewsLoaders } from './news.loaders.js';
import { findArticles, type ArticleRow } from './news.sql.js';
import { Article, ArticleConnection, SentimentLabelEnum } from './news.type.js';
import { encodeArticleCursor, type NewsArgs, type StockNewsArgs } from './news.validation.js';

export function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    source: row.source,
    summary: row.summary,
    publishedAt: row.publishedAt,
    sentiment: { label: row.sentimentLabel as SentimentLabelEnum, score: row.sentimentScore, analyzer: row.sentimentAnalyzer },
    symbols: row.symbols,
  };
}

function toConnection(rows: readonly ArticleRow[], first: number): ArticleConnection {
  return toPage(rows.map(toArticle), first, (article) => encodeArticleCursor(article));
}

export class NewsService {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly loaders: NewsLoaders,
    private readonly stocks: StockService,
  ) {}

  /** Articles newest first, of any of `symbols` (each must be a known stock) when given, published in [from, to). */
  async list(args: NewsArgs): Promise<ArticleConnection> {
    if (args.symbols) await this.stocks.assertKnown(args.symbols, (i) => `symbols[${i}]`);
    const rows = await findArticles(this.sql, { symbols: args.symbols, from: args.from, to: args.to }, args.first + 1, args.after);
    return toConnection(rows, args.first);
  }

  /** One stock's articles, newest first; batched across the stocks of an operation. */
  async forStock(symbol: string, args: StockNewsArgs): Promise<ArticleConnection> {
    return toConnection(await this.loaders.bySymbol(args).load(symbol), args.first);
  }
}
