import type { UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import type { StockService } from '../stock/stock.service.js';
import { toStockInterest, type CollectionLoaders } from './collection.loaders.js';
import type { StockInterest } from './collection.type.js';

/** Stocks a user marked as interesting, with a target price and a note (table user_stock_potential). */
export class InterestService {
  constructor(
    private readonly db: UserClient,
    private readonly stocks: StockService,
    private readonly loaders: CollectionLoaders,
    /** Keeps the target price's PRICE alert in step (src/modules/alert); absent in narrow tests. */
    private readonly alerts?: { syncInterest(interest: { id: string; accountId: string; symbol: string; targetPrice: number | null }): Promise<void> },
  ) {}

  async list(viewer: Viewer): Promise<StockInterest[]> {
    const rows = await this.db.userStockPotential.findMany({ where: { accountId: viewer.accountId }, orderBy: { createdAt: 'asc' } });
    return rows.map(toStockInterest);
  }

  /** Creates or replaces the viewer's mark on a stock. */
  async mark(viewer: Viewer, input: { symbol: string; targetPrice: number | null; note: string | null }): Promise<StockInterest> {
    await this.stocks.assertListable([input.symbol], () => 'symbol');
    const data = { targetPrice: input.targetPrice, note: input.note };
    const row = await this.db.userStockPotential.upsert({
      where: { accountId_stockSymbol: { accountId: viewer.accountId, stockSymbol: input.symbol } },
      create: { accountId: viewer.accountId, stockSymbol: input.symbol, ...data },
      update: data,
    });
    await this.alerts?.syncInterest({ id: row.id, accountId: viewer.accountId, symbol: input.symbol, targetPrice: input.targetPrice });
    return toStockInterest(row);
  }

  /** True when a mark was removed, false when there was none. */
  async unmark(viewer: Viewer, symbol: string): Promise<boolean> {
    const row = await this.db.userStockPotential.findUnique({ where: { accountId_stockSymbol: { accountId: viewer.accountId, stockSymbol: symbol } } });
    if (!row) return false;
    // Through the alert service first, so every process's alert index drops the target's alert (the row's delete
    // would cascade to it without telling anyone).
    await this.alerts?.syncInterest({ id: row.id, accountId: viewer.accountId, symbol, targetPrice: null });
    const { count } = await this.db.userStockPotential.deleteMany({ where: { id: row.id } });
    return count > 0;
  }

  /** The viewer's mark on a stock; null when there is none or nobody is signed in. */
  async forStock(symbol: string): Promise<StockInterest | null> {
    return this.loaders.interestBySymbol ? this.loaders.interestBySymbol.load(symbol) : null;
  }
}
