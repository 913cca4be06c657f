import type { Prisma } from '../../generated/stock/client.js';
import type { StockClient } from '../../db/database.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { loadAll } from '../../lib/batch.js';
import { decodeCursor, encodeCursor, toPage } from '../../graphql/relay.js';
import type { StockConnection } from './stock.connection.js';
import type { StockLoaders } from './stock.loaders.js';
import { toStock } from './stock.mapper.js';
import type { Quote, Stock } from './stock.type.js';
import type { StockFilterInput } from './stock.validation.js';

const CURSOR_KIND = 'stock';

/**
 * Prisma 7 passes `contains`/`startsWith` text, and `equals` with `mode: 'insensitive'`, to
 * LIKE / ILIKE unescaped (measured on PGlite and PostgreSQL: a search or a sector of "%" matched
 * every stock), so the metacharacters are escaped with PostgreSQL's default escape character, `\`.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function whereOf(filter: StockFilterInput | null | undefined): Prisma.StockWhereInput {
  // FX pairs live in the same table (asset_class FX) and are never listed as stocks.
  const where: Prisma.StockWhereInput = { isActive: true, assetClass: { not: 'FX' } };
  if (!filter) return where;
  // Case-insensitive; a value no stock has matches nothing (an empty page, not an error).
  if (filter.sector) where.sector = { equals: escapeLike(filter.sector), mode: 'insensitive' };
  if (filter.industry) where.industry = { equals: escapeLike(filter.industry), mode: 'insensitive' };
  if (filter.exchange) where.exchange = { equals: escapeLike(filter.exchange), mode: 'insensitive' };
  if (filter.marketCapMin != null || filter.marketCapMax != null) {
    where.marketCap = {
      ...(filter.marketCapMin != null ? { gte: filter.marketCapMin } : {}),
      ...(filter.marketCapMax != null ? { lte: filter.marketCapMax } : {}),
    };
  }
  if (filter.search) {
    const text = escapeLike(filter.search);
    where.OR = [
      { symbol: { startsWith: text.toUpperCase() } },
      { name: { contains: text, mode: 'insensitive' } },
    ];
  }
  return where;
}

export class StockService {
  constructor(
    private readonly prisma: StockClient,
    private readonly loaders: StockLoaders,
  ) {}

  findBySymbol(symbol: string): Promise<Stock | null> {
    return this.loaders.stockBySymbol.load(symbol);
  }

  /**
   * The same answer, synchronously when the process's stock row cache has it: graphql-js then completes the field
   * without a promise (and the microtasks of awaiting it), the usual case for `stock(symbol)` (bench:execute).
   */
  findBySymbolNow(symbol: string): Stock | null | Promise<Stock | null> {
    const cached = this.loaders.cachedStock(symbol);
    return cached !== undefined ? cached : this.loaders.stockBySymbol.load(symbol);
  }

  /** Stocks in the order asked, null where a symbol is unknown; one batched query. */
  async findManyBySymbol(symbols: readonly string[]): Promise<(Stock | null)[]> {
    return loadAll(this.loaders.stockBySymbol, symbols);
  }

  /** Latest quotes in the order asked, null where a stock has no candle yet; cache first, one query for the rest. */
  async quotes(symbols: readonly string[]): Promise<(Quote | null)[]> {
    return loadAll(this.loaders.quoteBySymbol, symbols);
  }

  /** Every symbol must name a stock in the stock database (listed or not): BAD_USER_INPUT naming the first that does not. */
  async assertKnown(symbols: readonly string[], fieldOf: (index: number) => string): Promise<void> {
    const stocks = await this.findManyBySymbol(symbols);
    const missing = stocks.findIndex((stock) => stock === null);
    if (missing >= 0) throw new BadUserInputError(`${fieldOf(missing)}: no stock has the symbol ${symbols[missing]}`, fieldOf(missing));
  }

  /**
   * The check every write naming a stock makes before it touches the user
   * database: each symbol must be listed, active and not blacklisted.
   * Batched: two queries for any number of symbols.
   */
  async assertListable(symbols: readonly string[], fieldOf: (index: number) => string): Promise<void> {
    const reasons = await this.unlistableReasons(symbols);
    reasons.forEach((reason, i) => {
      const at = fieldOf(i);
      if (reason) throw new BadUserInputError(`${at}: ${reason}`, at);
    });
  }

  /**
   * Why each symbol may not be written to a list or traded (null when it may): unknown or inactive,
   * an FX pair, or blacklisted. Batched like assertListable, for callers that report every line.
   */
  async unlistableReasons(symbols: readonly string[]): Promise<(string | null)[]> {
    const [stocks, blacklisted] = await Promise.all([loadAll(this.loaders.stockBySymbol, symbols), loadAll(this.loaders.isBlacklisted, symbols)]);
    return symbols.map((symbol, i) => {
      const stock = stocks[i];
      if (!stock || !stock.isActive) return `no listed stock has the symbol ${symbol}`;
      if (stock.assetClass === 'FX') return `${symbol} is an FX pair, not a stock`;
      if (blacklisted[i]) return `${symbol} is blacklisted and cannot be added`;
      return null;
    });
  }

  async list(args: { first: number; after?: string | null; filter?: StockFilterInput | null }): Promise<StockConnection> {
    const where = whereOf(args.filter);
    const afterSymbol = args.after ? decodeCursor(CURSOR_KIND, args.after) : null;
    const rows = await this.prisma.stock.findMany({
      where: afterSymbol ? { AND: [where, { symbol: { gt: afterSymbol } }] } : where,
      orderBy: { symbol: 'asc' },
      take: args.first + 1,
    });
    const stocks = rows.map(toStock);
    // Prime the per-request loader: nested fields that look a stock up again cost nothing.
    for (const stock of stocks) this.loaders.stockBySymbol.prime(stock.symbol, stock);
    return {
      ...toPage(stocks, args.first, (stock) => encodeCursor(CURSOR_KIND, stock.symbol)),
      countMatches: () => this.prisma.stock.count({ where }),
    };
  }
}
