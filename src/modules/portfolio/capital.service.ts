import type { Decimal } from 'decimal.js';
import type { UserClient } from '../../db/database.js';
import type { CapitalOperation } from '../../generated/user/enums.js';
import type { Viewer } from '../../graphql/auth.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { requireRate, type FxRates } from './fx-rates.js';
import { appendCash, BOOK_TRANSACTION, latestCash, lockPortfolios, type Tx } from './ledger.js';
import { minorUnit, newYorkDate, toCurrencyUnit } from './money.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { assertUnreserved } from './order.sql.js';
import { announcePortfolioChange } from './portfolio-changes.js';
import type { PortfolioService } from './portfolio.service.js';
import type { Portfolio } from './portfolio.type.js';
import type { CashMovement, TransferCash } from './portfolio.validation.js';

/** JSON with sorted keys, so that stored and repeated arguments compare equal whatever order jsonb keeps. */
function canonical(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
}

function assertPlaces(amount: Decimal, currency: string, field: string): void {
  const places = minorUnit(currency);
  if (amount.decimalPlaces() > places) throw new BadUserInputError(`${field}: must have at most ${places} decimal places in ${currency}`, field);
}

/**
 * Deposits, withdrawals and transfers: each one transaction under the
 * portfolio row lock (see lockPortfolios), so concurrent withdrawals cannot
 * both spend the same cash and cash never goes below zero.
 */
export class CapitalService {
  constructor(
    private readonly db: UserClient,
    private readonly portfolios: PortfolioService,
    private readonly fx: FxRates,
    private readonly bus?: EventBus,
  ) {}

  deposit(viewer: Viewer, input: CashMovement): Promise<Portfolio> {
    return this.move(viewer, 'DEPOSIT', input);
  }

  withdraw(viewer: Viewer, input: CashMovement): Promise<Portfolio> {
    return this.move(viewer, 'WITHDRAWAL', input);
  }

  private async move(viewer: Viewer, operation: 'DEPOSIT' | 'WITHDRAWAL', input: CashMovement): Promise<Portfolio> {
    const portfolio = await this.portfolios.get(viewer, input.portfolioId);
    const currency = input.currency ?? portfolio.baseCurrency;
    assertPlaces(input.amount, currency, 'amount');
    const args = { portfolioId: input.portfolioId, amount: input.amount.toFixed(), currency: input.currency ?? null };
    await this.db.$transaction(async (tx) => {
      await lockPortfolios(tx, viewer.accountId, [portfolio.id]);
      const requestId = await this.claim(tx, viewer.accountId, input.idempotencyKey, operation, args);
      if (!requestId) return;
      const before = await latestCash(tx, portfolio.id, currency);
      if (operation === 'WITHDRAWAL') await assertUnreserved(tx, portfolio.id, currency, before, input.amount);
      await appendCash(
        tx,
        {
          portfolioId: portfolio.id,
          currency,
          delta: operation === 'DEPOSIT' ? input.amount : input.amount.negated(),
          reason: operation,
          tradeDate: newYorkDate(new Date()),
          requestId,
        },
        before,
      );
    }, BOOK_TRANSACTION);
    await announcePortfolioChange(this.bus, [portfolio.id]);
    return this.portfolios.reload(viewer, portfolio.id);
  }

  /** Moves `amount` of the source's base currency; the target receives it converted at the stored rate, rounded half up to its minor unit. */
  async transfer(viewer: Viewer, input: TransferCash): Promise<Portfolio[]> {
    const [from, to] = await Promise.all([this.portfolios.get(viewer, input.fromPortfolioId), this.portfolios.get(viewer, input.toPortfolioId)]);
    assertPlaces(input.amount, from.baseCurrency, 'amount');
    const rate = await requireRate(this.fx, from.baseCurrency, to.baseCurrency);
    const received = toCurrencyUnit(input.amount.mul(rate), to.baseCurrency);
    if (received.lte(0)) throw new BadUserInputError(`amount: too small to transfer into ${to.baseCurrency}`, 'amount');
    const args = { fromPortfolioId: from.id, toPortfolioId: to.id, amount: input.amount.toFixed() };
    await this.db.$transaction(async (tx) => {
      await lockPortfolios(tx, viewer.accountId, [from.id, to.id]);
      const requestId = await this.claim(tx, viewer.accountId, input.idempotencyKey, 'TRANSFER', args);
      if (!requestId) return;
      const tradeDate = newYorkDate(new Date());
      const fromBefore = await latestCash(tx, from.id, from.baseCurrency);
      const toBefore = await latestCash(tx, to.id, to.baseCurrency);
      await assertUnreserved(tx, from.id, from.baseCurrency, fromBefore, input.amount);
      await appendCash(tx, { portfolioId: from.id, currency: from.baseCurrency, delta: input.amount.negated(), reason: 'TRANSFER_OUT', tradeDate, requestId }, fromBefore);
      await appendCash(tx, { portfolioId: to.id, currency: to.baseCurrency, delta: received, reason: 'TRANSFER_IN', tradeDate, requestId }, toBefore);
    }, BOOK_TRANSACTION);
    await announcePortfolioChange(this.bus, [from.id, to.id]);
    return Promise.all([this.portfolios.reload(viewer, from.id), this.portfolios.reload(viewer, to.id)]);
  }

  /**
   * Records the idempotency key, or returns null when it was used before with
   * the same arguments (the first request's books stand: a replay writes
   * nothing). Used with other arguments, it is BAD_USER_INPUT. A concurrent
   * twin waits on the portfolio lock, so it always sees the first one committed.
   */
  private async claim(tx: Tx, accountId: string, key: string, operation: CapitalOperation, args: Record<string, unknown>): Promise<string | null> {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO capital_request (id, account_id, idempotency_key, operation, arguments)
      VALUES (gen_random_uuid(), ${accountId}::uuid, ${key}, ${operation}::capital_operation, ${canonical(args)}::jsonb)
      ON CONFLICT (account_id, idempotency_key) DO NOTHING
      RETURNING id::text AS id`;
    if (inserted[0]) return inserted[0].id;
    const first = await tx.capitalRequest.findUnique({ where: { accountId_idempotencyKey: { accountId, idempotencyKey: key } } });
    if (first && first.operation === operation && canonical(first.arguments as Record<string, unknown>) === canonical(args)) return null;
    throw new BadUserInputError(`idempotencyKey: ${key} was already used for a different request (${first?.operation.toLowerCase() ?? 'unknown'} with other arguments)`, 'idempotencyKey');
  }
}
