import type { UserClient } from '../../db/database.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Viewer } from '../../graphql/auth.js';
import { BadUserInputError, NotFoundError } from '../../graphql/errors.js';
import type { StockService } from '../stock/stock.service.js';
import type { Stock } from '../stock/stock.type.js';
import type { CollectionLoaders } from './collection.loaders.js';
import type { Collection } from './collection.type.js';
import { MAX_SYMBOLS_PER_COLLECTION } from './collection.validation.js';

interface CollectionWithSymbolsRow extends Collection {
  symbols: string[];
}

/** A collection row named as the Collection type names it, with its symbols in list order. */
const SELECT_WITH_SYMBOLS = `SELECT c.id, c.account_id AS "accountId", c.name, c.description, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  coalesce((SELECT array_agg(s.stock_symbol ORDER BY s.position, s.added_at) FROM custom_collection_stock s WHERE s.collection_id = c.id),
    '{}') AS symbols
  FROM custom_collection c`;

/**
 * Watchlists. Every look-up is scoped to the viewer's account, so another
 * user's collection id behaves exactly like an unknown one (NOT_FOUND).
 */
export class CollectionService {
  constructor(
    private readonly db: UserClient,
    private readonly sql: SqlExecutor,
    private readonly stocks: StockService,
    private readonly loaders: CollectionLoaders,
  ) {}

  /** The viewer's collections, each read with its symbols in the same statement (primed into the loader). */
  async list(viewer: Viewer): Promise<Collection[]> {
    const rows = await this.sql.query<CollectionWithSymbolsRow>(
      `${SELECT_WITH_SYMBOLS} WHERE c.account_id = $1::uuid ORDER BY c.created_at, c.id`,
      [viewer.accountId],
    );
    return rows.map((row) => this.primed(row));
  }

  /**
   * One collection for a read (the `collection` query): the row and its symbols in one statement, so a watchlist
   * costs one user-database statement. Mutations use get(), which leaves the symbols to the loader: they change them.
   */
  async read(viewer: Viewer, id: string): Promise<Collection> {
    const [row] = await this.sql.query<CollectionWithSymbolsRow>(`${SELECT_WITH_SYMBOLS} WHERE c.id = $1::uuid AND c.account_id = $2::uuid`, [
      id,
      viewer.accountId,
    ]);
    if (!row) throw new NotFoundError(`No collection ${id}`);
    return this.primed(row);
  }

  private primed({ symbols, ...collection }: CollectionWithSymbolsRow): Collection {
    this.loaders.symbolsByCollectionId.prime(collection.id, symbols);
    return collection;
  }

  async get(viewer: Viewer, id: string): Promise<Collection> {
    const collection = await this.db.customCollection.findFirst({ where: { id, accountId: viewer.accountId } });
    if (!collection) throw new NotFoundError(`No collection ${id}`);
    return collection;
  }

  async create(viewer: Viewer, input: { name: string; description: string | null; symbols: string[] }): Promise<Collection> {
    await this.stocks.assertListable(input.symbols, (i) => `symbols[${i}]`);
    // One nested write: the collection and its stocks land together or not at all.
    return this.db.customCollection.create({
      data: {
        accountId: viewer.accountId,
        name: input.name,
        description: input.description,
        stocks: { createMany: { data: input.symbols.map((stockSymbol, position) => ({ stockSymbol, position })) } },
      },
    });
  }

  async rename(viewer: Viewer, id: string, name: string): Promise<Collection> {
    const { count } = await this.db.customCollection.updateMany({ where: { id, accountId: viewer.accountId }, data: { name } });
    if (count === 0) throw new NotFoundError(`No collection ${id}`);
    return this.get(viewer, id);
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const { count } = await this.db.customCollection.deleteMany({ where: { id, accountId: viewer.accountId } });
    if (count === 0) throw new NotFoundError(`No collection ${id}`);
    return true;
  }

  /** Idempotent: adding a symbol that is already there changes nothing, even when two adds race. */
  async addStock(viewer: Viewer, collectionId: string, symbol: string): Promise<Collection> {
    await this.get(viewer, collectionId);
    await this.stocks.assertListable([symbol], () => 'symbol');
    return this.db.$transaction(async (tx) => {
      const { _count, _max } = await tx.customCollectionStock.aggregate({ where: { collectionId }, _count: true, _max: { position: true } });
      if (_count >= MAX_SYMBOLS_PER_COLLECTION) {
        throw new BadUserInputError(`symbol: the collection already holds the maximum of ${MAX_SYMBOLS_PER_COLLECTION} stocks`, 'symbol');
      }
      // ON CONFLICT DO NOTHING on the (collection, symbol) key: concurrent adds leave one row.
      await tx.customCollectionStock.createMany({
        data: [{ collectionId, stockSymbol: symbol, position: (_max.position ?? -1) + 1 }],
        skipDuplicates: true,
      });
      return tx.customCollection.update({ where: { id: collectionId }, data: { updatedAt: new Date() } });
    });
  }

  /** Idempotent: removing a symbol that is not there changes nothing. */
  async removeStock(viewer: Viewer, collectionId: string, symbol: string): Promise<Collection> {
    await this.get(viewer, collectionId);
    const { count } = await this.db.customCollectionStock.deleteMany({ where: { collectionId, stockSymbol: symbol } });
    if (count === 0) return this.get(viewer, collectionId);
    return this.db.customCollection.update({ where: { id: collectionId }, data: { updatedAt: new Date() } });
  }

  /** Full stocks from the stock database, in list order: two batched queries for any number of collections. */
  async stocksOf(collection: Collection): Promise<Stock[]> {
    const symbols = await this.loaders.symbolsByCollectionId.load(collection.id);
    const stocks = await this.stocks.findManyBySymbol(symbols);
    // A stock removed from the stock database since it was added is left out rather than failing the list.
    return stocks.filter((stock): stock is Stock => stock !== null);
  }
}
