import type { UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import { BadUserInputError, InsufficientPositionError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../graphql/relay.js';
import { toFloat } from '../../lib/numbers.js';
import type { StockService } from '../stock/stock.service.js';
import { requireRate, type FxRates } from './fx-rates.js';
import { appendCash, BOOK_TRANSACTION, latestCash, lockPortfolios } from './ledger.js';
import { dec, MINOR_UNITS, minorUnit, newYorkDate, toCurrencyUnit } from './money.js';
import { applyTrade } from './position-math.js';
import type { PortfolioLoaders } from './portfolio.loaders.js';
import type { PortfolioService } from './portfolio.service.js';
import { OrderSide, TradeSource, type Trade, type TradeConnection } from './portfolio.type.js';
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

function toTrade(row: TradeRow): Trade {
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
    const notionalLocal = toCurrencyUnit(input.quantity.mul(input.price), currency);
    const notional = toCurrencyUnit(notionalLocal.mul(fxRate), portfolio.baseCurrency);
    const tradeDate = newYorkDate(input.executedAt);

    const row = await this.db.$transaction(async (tx) => {
      const locked = (await lockPortfolios(tx, viewer.accountId, [portfolio.id])).get(portfolio.id)!;
      const previous = await tx.positionsBook.findFirst({ where: { portfolioId: portfolio.id, stockSymbol: stock.symbol }, orderBy: { id: 'desc' } });
      const held = previous
        ? {
            quantity: dec(previous.quantity),
            averageCost: dec(previous.averageCost),
            costBasis: dec(previous.costBasis), realizedPnl: dec(previous.realizedPnl),
            commissionPaid: dec(previous.commissionPaid),
          }
        : null;
      const next = applyTrade(held, { side: input.side, quantity: input.quantity, price: input.price, notional: notionalLocal, commission: input.fee });
      if (input.side === 'SELL' && next.quantity.isNegative() && !locked.allowShort) {
        throw new InsufficientPositionError(
          `Insufficient position: the portfolio holds ${(held?.quantity ?? dec(0)).toFixed()} ${stock.symbol} and cannot sell ${input.quantity.toFixed()} (short positions are not allowed)`,
        );
      }
      const trade = await tx.tradeExecutionLog.create({
        data: {
          portfolioId: portfolio.id,
          source: 'RECORDED',
          stockSymbol: stock.symbol,
          side: input.side,
          quantity: input.quantity.toFixed(),
          execPrice: input.price.toFixed(),
          notional: notional.toFixed(),
          notionalLocal: notionalLocal.toFixed(),
          currency,
          fxRate: fxRate.toDecimalPlaces(10).toFixed(),
          commission: input.fee.toFixed(),
          executedAt: input.executedAt,
          tradeDate,
        },
      });
      // The commission is its own FEE row (not folded into the TRADE row), so the cash activity shows it.
      let cash = await latestCash(tx, portfolio.id, currency);
      const tradeDelta = input.side === 'BUY' ? notionalLocal.negated() : notionalLocal;
      cash = await appendCash(tx, { portfolioId: portfolio.id, currency, delta: tradeDelta, reason: 'TRADE', tradeDate, tradeId: trade.id }, cash);
      if (input.fee.gt(0)) await appendCash(tx, { portfolioId: portfolio.id, currency, delta: input.fee.negated(), reason: 'FEE', tradeDate, tradeId: trade.id }, cash);
      await tx.positionsBook.create({
        data: {
          portfolioId: portfolio.id,
          stockSymbol: stock.symbol,
          quantity: next.quantity.toFixed(),
          averageCost: next.averageCost.toFixed(),
          costBasis: next.costBasis.toFixed(),
          currency,
          realizedPnl: next.realizedPnl.toFixed(),
          commissionPaid: next.commissionPaid.toFixed(),
          tradeId: trade.id,
        },
      });
      return trade;
    }, BOOK_TRANSACTION);
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
