import type { Context } from '../../composition/context.js';
import { pageCost, type ComplexityEstimatorArgs } from '../../graphql/guards/index.js';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { loadAll } from '../../lib/batch.js';
import { Stock } from '../stock/stock.type.js';
import { Article, ArticleConnection } from './news.type.js';
import { MAX_NEWS_SYMBOLS, newsArgsSchema, stockNewsArgsSchema } from './news.validation.js';

const connectionCost = ({ args, childComplexity }: ComplexityEstimatorArgs) => pageCost(args.first, childComplexity);

@Resolver()
export class NewsResolver {
  @Query(() => ArticleConnection, {
    complexity: connectionCost,
    description:
      `News articles newest first: of any of \`symbols\` (1-${MAX_NEWS_SYMBOLS} known symbols) when given, published at or ` +
      'after `from` and before `to`; `first` 1-100, default 20.',
  })
  news(
    @Arg('symbols', () => [String], { nullable: true }) symbols: string[] | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ArticleConnection> {
    return ctx.services.news.list(parseInput(newsArgsSchema, { symbols, from, to, first, after }));
  }
}

@Resolver(() => Stock)
export class StockNewsResolver {
  @FieldResolver(() => ArticleConnection, { complexity: connectionCost, description: 'Articles naming this stock, newest first (first: 1-100, default 20).' })
  news(
    @Root() stock: Stock,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ArticleConnection> {
    return ctx.services.news.forStock(stock.symbol, parseInput(stockNewsArgsSchema, { first, after }));
  }
}

@Resolver(() => Article)
export class ArticleResolver {
  @FieldResolver(() => [Stock], { description: 'The stocks the article names, by symbol; a stock since removed is left out.' })
  async stocks(@Root() article: Article, @Ctx() ctx: Context): Promise<Stock[]> {
    const stocks = await loadAll(ctx.loaders.stock.stockBySymbol, article.symbols);
    return stocks.filter((stock): stock is Stock => stock !== null);
  }
}
