import type { UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../graphql/relay.js';
import { toFloat } from '../../lib/numbers.js';
import type { StockService } from '../stock/stock.service.js';
import { requireRate, type FxRates } from './fx-rates.js';
import { BOOK_TRANSACTION, lockPortfolios } from './ledger.js';
import { MINOR_UNITS, minorUnit } from './money.js';
import { bookTrade } from './trade-booking.js';
import type { PortfolioLoaders } from './portfolio.loaders.js';
import type { PortfolioService } from './portfolio.service.js';
import { OrderSide, TradeSource, type Trade, type TradeConnection } from './portfolio.type.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { announcePortfolioChange } from './portfolio-changes.js';
import type { RecordTrade } from './portfolio.validation.js';

const CURSOR_KIND = 'trade';

export type TradeRow = {
  id: bigint;
  stockSymbol: string;
  side: 'BUY' | 'SELL';
  quantity: { toString(): string };
  execPrice: { toString(): string };
  commission: { toString(): string };
  currency: string;
  notional: { toString(): string };
  notionalLocal: { toString(): string };
  fxRate: { toString(): string };
  source: 'RECORDED' | 'IMPORTED' | 'PAPER';
  executedAt: Date;
};

export function toTrade(row: TradeRow): Trade {
  return {
    id: row.id.toString(),
    symbol: row.stockSymbol,
    side: OrderSide[row.side],
    quantity: toFloat(row.quantity.toString()),
    price: toFloat(row.execPrice.toString()),
    fee: toFloat(row.commission.toString()),
    currency: row.currency.trim(),
    notional: toFloat(row.notional.toString()),
    notionalLocal: toFloat(row.notionalLocal.toString()),
    fxRate: toFloat(row.fxRate.toString()),
    source: TradeSource[row.source],
    executedAt: row.executedAt,
  };
}

/** Trades made elsewhere, booked by hand: the trade, its cash rows and the position row land in one transaction. */
export class TradeService {
  constructor(
    private readonly db: UserClient,
    private readonly portfolios: PortfolioService,
    private readonly stocks: StockService,
    private readonly fx: FxRates,
    private readonly loaders: PortfolioLoaders,
    private readonly bus?: EventBus,
  ) {}

  async record(viewer: Viewer, input: RecordTrade): Promise<Trade> {
    const portfolio = await this.portfolios.get(viewer, input.portfolioId);
    await this.stocks.assertListable([input.symbol], () => 'symbol');
    const stock = (await this.stocks.findBySymbol(input.symbol))!;
    const currency = input.currency ?? stock.currency;
    if (currency !== stock.currency) throw new BadUserInputError(`currency: ${stock.symbol} trades in ${stock.currency}`, 'currency');
    if (MINOR_UNITS[currency] === undefined) throw new BadUserInputError(`currency: ${currency} is not a supported currency`, 'currency');
    if (input.fee.decimalPlaces() > minorUnit(currency)) {
      throw new BadUserInputError(`fee: must have at most ${minorUnit(currency)} decimal places in ${currency}`, 'fee');
    }
    const fxRate = await requireRate(this.fx, currency, portfolio.baseCurrency);
    const trade = { symbol: stock.symbol, side: input.side, quantity: input.quantity, price: input.price, fee: input.fee, currency, fxRate, executedAt: input.executedAt, source: 'RECORDED' } as const;
    const row = await this.db.$transaction(async (tx) => {
      const locked = (await lockPortfolios(tx, viewer.accountId, [portfolio.id])).get(portfolio.id)!;
      return bookTrade(tx, locked, trade);
    }, BOOK_TRANSACTION);
    await announcePortfolioChange(this.bus, [portfolio.id]);
    return toTrade(row);
  }

  /** Newest first; the cursor is the trade id. Batched: one statement for the pages of any number of portfolios. */
  async page(portfolioId: string, first: number, after: string | null | undefined): Promise<TradeConnection> {
    let before: string | null = null;
    if (after) {
      before = decodeCursor(CURSOR_KIND, after);
      if (!/^\d{1,18}$/.test(before)) throw new BadUserInputError('after: not a cursor of this connection', 'after');
    }
    const rows = await this.loaders.tradePages(first + 1).load({ portfolioId, before });
    return toPage(rows.map(toTrade), first, (trade) => encodeCursor(CURSOR_KIND, trade.id));
  }
}
