import type { Decimal } from 'decimal.js';
import { GraphQLError } from 'graphql';
import type { UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import type { StockService } from '../stock/stock.service.js';
import type { FxRates } from './fx-rates.js';
import { cashAmount, parseActivities, type ActivitySide, type LineError, type ParsedActivity } from './import.validation.js';
import { appendCash, latestCash, lockPortfolios, type LockedPortfolio, type Tx } from './ledger.js';
import { minorUnit, newYorkDate, toCurrencyUnit } from './money.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { assertUnreserved } from './order.sql.js';
import { announcePortfolioChange } from './portfolio-changes.js';
import { readPortfolioStates } from './portfolio-state.sql.js';
import type { PortfolioService } from './portfolio.service.js';
import type { ImportReport } from './import.type.js';
import { bookTrade, type KnownBooks } from './trade-booking.js';

/** Up to MAX_IMPORT_ROWS lines under one portfolio lock: longer than a single write needs. */
const IMPORT_TRANSACTION = { maxWait: 10_000, timeout: 60_000 } as const;

/** A line ready to book: its checks that needed the stock database passed. */
interface ReadyLine {
  activity: ParsedActivity;
  currency: string;
  fxRate: Decimal | null;
  /** Cash lines: the amount in `currency`. */
  amount: Decimal | null;
}

class Rollback extends Error {}

const COUNT_FIELD: Record<ActivitySide, keyof ImportReport['counts']> = {
  BUY: 'buys', SELL: 'sells', DIVIDEND: 'dividends', FEE: 'fees', DEPOSIT: 'deposits', WITHDRAWAL: 'withdrawals',
};

/**
 * Broker CSV import. Lenient by default: every line that passes its checks
 * and books cleanly lands, all of them in ONE transaction under the
 * portfolio's row lock; each other line is reported with its line number and
 * nothing of it is written (the writers refuse a line before its first
 * write, e.g. a sell beyond the holding). `strict` lands nothing when any
 * line fails; `dryRun` lands nothing and reports what would have happened.
 * Lines are booked in date order (file order within a date), whatever order
 * the broker exported them in, so a sell follows the buys before it.
 */
export class ImportService {
  constructor(
    private readonly db: UserClient,
    private readonly portfolios: PortfolioService,
    private readonly stocks: StockService,
    private readonly fx: FxRates,
    private readonly bus?: EventBus,
  ) {}

  async importActivities(viewer: Viewer, args: { portfolioId: string; csv: string; dryRun: boolean; strict: boolean }): Promise<ImportReport> {
    const portfolio = await this.portfolios.get(viewer, args.portfolioId);
    const parsed = await parseActivities(args.csv);
    const errors: LineError[] = [...parsed.errors];
    const ready = await this.resolve(parsed.activities, portfolio.baseCurrency, errors);
    ready.sort((a, b) => a.activity.executedAt.getTime() - b.activity.executedAt.getTime() || a.activity.line - b.activity.line);

    const counts: ImportReport['counts'] = { buys: 0, sells: 0, dividends: 0, fees: 0, deposits: 0, withdrawals: 0 };
    let outcome: Pick<ImportReport, 'cash' | 'positions'> = { cash: [], positions: [] };
    let imported = 0;
    let committed = false;
    try {
      await this.db.$transaction(async (tx) => {
        const locked = (await lockPortfolios(tx, viewer.accountId, [portfolio.id])).get(portfolio.id)!;
        // Balances and positions as this transaction left them: under the lock nobody else writes them, so a line costs its INSERTs only.
        const known: KnownBooks = { cash: new Map(), positions: new Map() };
        for (const line of ready) {
          // Every writer refuses a line before its first write (bookTrade and appendCash check first), so a refused
          // line leaves nothing behind and needs no savepoint; any other error fails the whole import.
          try {
            await this.book(tx, locked, line, known);
            imported += 1;
            counts[COUNT_FIELD[line.activity.side]] += 1;
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            errors.push({ line: line.activity.line, field: null, message: error.message, code: String(error.extensions.code ?? 'BAD_USER_INPUT') });
          }
        }
        outcome = await this.resultingState(tx, portfolio.id);
        if (args.dryRun || (args.strict && errors.length > 0) || imported === 0) throw new Rollback();
      }, IMPORT_TRANSACTION);
      committed = true;
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    // Later fields of this operation read the books afresh.
    if (committed) {
      await announcePortfolioChange(this.bus, [portfolio.id]);
      await this.portfolios.reload(viewer, portfolio.id);
    }
    errors.sort((a, b) => a.line - b.line);
    return {
      dryRun: args.dryRun,
      strict: args.strict,
      committed,
      rows: parsed.rows,
      imported,
      rejected: errors.length,
      counts,
      errors,
      ...outcome,
    };
  }

  /** Checks that need the stock database and FX rates: two batched stock look-ups and one batch of rates for the whole file. */
  private async resolve(activities: ParsedActivity[], baseCurrency: string, errors: LineError[]): Promise<ReadyLine[]> {
    const symbols = [...new Set(activities.flatMap((a) => (a.symbol && a.side !== 'FEE' ? [a.symbol] : [])))];
    const [reasons, listings] = await Promise.all([this.stocks.unlistableReasons(symbols), this.stocks.findManyBySymbol(symbols)]);
    const bySymbol = new Map(symbols.map((symbol, i) => [symbol, { reason: reasons[i] ?? null, stock: listings[i] ?? null }]));
    const currencyOf = (a: ParsedActivity) => (a.side === 'BUY' || a.side === 'SELL' || a.side === 'DIVIDEND' ? bySymbol.get(a.symbol!)?.stock?.currency : null) ?? a.currency ?? baseCurrency;
    const currencies = [...new Set(activities.map(currencyOf))];
    const rates = new Map(await Promise.all(currencies.map(async (c) => [c, await this.fx.rate(c, baseCurrency)] as const)));

    const ready: ReadyLine[] = [];
    const fail = (activity: ParsedActivity, field: string | null, message: string) => errors.push({ line: activity.line, field, message, code: 'BAD_USER_INPUT' });
    for (const activity of activities) {
      const isTrade = activity.side === 'BUY' || activity.side === 'SELL';
      const listed = activity.side !== 'FEE' && activity.symbol ? bySymbol.get(activity.symbol)! : null;
      if (listed?.reason) {
        fail(activity, 'symbol', `symbol: ${listed.reason}`);
        continue;
      }
      const currency = currencyOf(activity);
      if (listed && activity.currency && activity.currency !== currency) {
        fail(activity, 'currency', `currency: ${activity.symbol} trades in ${currency}, not ${activity.currency}`);
        continue;
      }
      const places = minorUnit(currency);
      if (activity.fee.decimalPlaces() > places) {
        fail(activity, 'fee', `fee: must have at most ${places} decimal places in ${currency}`);
        continue;
      }
      const fxRate = rates.get(currency) ?? null;
      if (isTrade && !fxRate) {
        fail(activity, 'currency', `currency: no FX rate for ${currency}→${baseCurrency}`);
        continue;
      }
      let amount: Decimal | null = null;
      if (!isTrade) {
        const raw = cashAmount(activity);
        // A dividend of shares × per-share rounds like a trade's notional; a cash amount must be exact.
        amount = activity.side === 'DIVIDEND' && !activity.amount ? toCurrencyUnit(raw, currency) : raw;
        if (amount.decimalPlaces() > places) {
          fail(activity, 'amount', `amount: must have at most ${places} decimal places in ${currency}`);
          continue;
        }
        if (amount.lte(0)) {
          fail(activity, 'amount', `amount: rounds to zero in ${currency}`);
          continue;
        }
        if (activity.side === 'DIVIDEND' && activity.fee.gt(amount)) {
          fail(activity, 'fee', `fee: the tax withheld (${activity.fee.toFixed()}) is more than the dividend (${amount.toFixed()})`);
          continue;
        }
      }
      ready.push({ activity, currency, fxRate, amount });
    }
    return ready;
  }

  /** One line through the same writers as recordTrade (bookTrade) and the capital mutations (appendCash). */
  private async book(tx: Tx, portfolio: LockedPortfolio, line: ReadyLine, known: KnownBooks): Promise<void> {
    const { activity, currency } = line;
    if (activity.side === 'BUY' || activity.side === 'SELL') {
      await bookTrade(tx, portfolio, {
        symbol: activity.symbol!,
        side: activity.side,
        quantity: activity.quantity!,
        price: activity.price!,
        fee: activity.fee,
        currency,
        fxRate: line.fxRate!,
        executedAt: activity.executedAt,
        source: 'IMPORTED',
      }, known);
      return;
    }
    const tradeDate = newYorkDate(activity.executedAt);
    const amount = line.amount!;
    let cash = known.cash.get(currency) ?? (await latestCash(tx, portfolio.id, currency));
    const entry = { portfolioId: portfolio.id, currency, tradeDate };
    switch (activity.side) {
      case 'DEPOSIT':
        cash = await appendCash(tx, { ...entry, delta: amount, reason: 'DEPOSIT' }, cash);
        break;
      case 'WITHDRAWAL':
        await assertUnreserved(tx, portfolio.id, currency, cash, amount);
        cash = await appendCash(tx, { ...entry, delta: amount.negated(), reason: 'WITHDRAWAL' }, cash);
        break;
      case 'FEE':
        cash = await appendCash(tx, { ...entry, delta: amount.negated(), reason: 'FEE' }, cash);
        break;
      case 'DIVIDEND':
        cash = await appendCash(tx, { ...entry, delta: amount, reason: 'DIVIDEND' }, cash);
        // The fee of a dividend line is the tax withheld from it (at most the dividend, checked in resolve, so this cannot fail).
        if (activity.fee.gt(0)) cash = await appendCash(tx, { ...entry, delta: activity.fee.negated(), reason: 'FEE' }, cash);
        break;
    }
    known.cash.set(currency, cash);
  }

  /** Cash and open positions as the transaction sees them after the lines: the same atomic state query as Portfolio.state. */
  private async resultingState(tx: Tx, portfolioId: string): Promise<Pick<ImportReport, 'cash' | 'positions'>> {
    const state = (await readPortfolioStates(tx, [portfolioId])).get(portfolioId)!;
    return {
      cash: [...state.cash].map(([currency, amount]) => ({ currency, amount: amount.toNumber() })),
      positions: state.positions
        .filter((p) => !p.quantity.isZero())
        .map((p) => ({ symbol: p.symbol, currency: p.currency, quantity: p.quantity.toNumber(), averageCost: p.averageCost.toNumber() })),
    };
  }
}
