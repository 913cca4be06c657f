import type { Decimal } from 'decimal.js';
import type { Prisma } from '../../generated/user/client.js';
import type { CashReason } from '../../generated/user/enums.js';
import { InsufficientFundsError, NotFoundError } from '../../graphql/errors.js';
import { dec, ZERO } from './money.js';

export type Tx = Prisma.TransactionClient;

/** Book writes queue on the portfolio's row lock; waiting behind a few of them is normal, so allow longer than Prisma's 2 s / 5 s. */
export const BOOK_TRANSACTION = { maxWait: 10_000, timeout: 20_000 } as const;

/** A portfolio row as the books' writers and the loaders read it. */
export interface PortfolioRow {
  id: string;
  accountId: string;
  name: string;
  baseCurrency: string;
  allowShort: boolean;
  createdAt: Date;
}

/** A portfolio row read under its row lock (lockPortfolios). */
export type LockedPortfolio = PortfolioRow;

/**
 * Concurrency control for every write to a portfolio's books: a row lock on
 * the portfolio row (SELECT ... FOR UPDATE) taken first in the transaction.
 * Chosen over SERIALIZABLE + retry because the books are append-only: two
 * writers never update the same row, so only a lock that both must take
 * orders "read the latest balance, append the next one"; it is also the lock
 * that orders and fills will take, so capital, recorded trades and paper
 * fills of one portfolio serialise on one thing and never deadlock each other
 * (several portfolios are locked in id order). Other portfolios are not
 * blocked. The scope check (account) is in the same statement, so another
 * user's id is NOT_FOUND without a separate read.
 */
export async function lockPortfolios(tx: Tx, accountId: string, ids: readonly string[]): Promise<Map<string, LockedPortfolio>> {
  const rows = await tx.$queryRaw<LockedPortfolio[]>`
    SELECT id::text AS id, account_id::text AS "accountId", name, base_currency AS "baseCurrency", allow_short AS "allowShort", created_at AS "createdAt"
    FROM portfolio WHERE id = ANY(${[...ids]}::uuid[]) AND account_id = ${accountId}::uuid
    ORDER BY id FOR UPDATE`;
  const byId = new Map(rows.map((row) => [row.id, { ...row, baseCurrency: row.baseCurrency.trim() }]));
  for (const id of ids) if (!byId.has(id)) throw new NotFoundError(`No portfolio ${id}`);
  return byId;
}

export async function latestCash(tx: Tx, portfolioId: string, currency: string): Promise<Decimal> {
  const row = await tx.cashEquityBook.findFirst({ where: { portfolioId, currency }, orderBy: { id: 'desc' }, select: { balance: true } });
  return row ? dec(row.balance) : ZERO;
}

/** Appends one cash row after `balanceBefore`; a balance below zero is INSUFFICIENT_FUNDS and the transaction rolls back. */
export async function appendCash(
  tx: Tx,
  entry: { portfolioId: string; currency: string; delta: Decimal; reason: CashReason; tradeDate: Date; requestId?: string; tradeId?: bigint },
  balanceBefore: Decimal,
): Promise<Decimal> {
  const balance = balanceBefore.plus(entry.delta);
  if (balance.isNegative()) {
    throw new InsufficientFundsError(
      `Insufficient funds: ${entry.currency} cash is ${balanceBefore.toFixed()} and this needs ${entry.delta.negated().toFixed()}`,
    );
  }
  await tx.cashEquityBook.create({
    data: {
      portfolioId: entry.portfolioId,
      currency: entry.currency,
      balance: balance.toFixed(),
      delta: entry.delta.toFixed(),
      reason: entry.reason,
      tradeDate: entry.tradeDate,
      requestId: entry.requestId ?? null,
      tradeId: entry.tradeId ?? null,
    },
  });
  return balance;
}
