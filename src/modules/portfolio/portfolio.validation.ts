import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { uuidIdSchema } from '../../graphql/ids.js';
import { symbolSchema } from '../stock/stock.validation.js';
import { CURRENCIES, decimalOf, MINOR_UNITS, minorUnit } from './money.js';

export const idSchema = uuidIdSchema;

const MAX_AMOUNT = new Decimal('1e15');

export const currencySchema = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .refine((value) => CURRENCIES.includes(value), { message: `must be one of ${CURRENCIES.join(', ')}` });

const idempotencyKey = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100, { message: 'must be at most 100 characters' });

/** A Float from GraphQL as an exact Decimal with at most `places` decimals. */
function decimalSchema(options: { places: number; allowZero?: boolean; unit: string }) {
  return z
    .number()
    .finite()
    .transform((value, ctx) => {
      const amount = decimalOf(value);
      if (options.allowZero ? amount.isNegative() : amount.lte(0)) {
        ctx.addIssue({ code: 'custom', message: options.allowZero ? 'must not be negative' : 'must be positive' });
        return z.NEVER;
      }
      if (amount.gt(MAX_AMOUNT)) {
        ctx.addIssue({ code: 'custom', message: 'is too large' });
        return z.NEVER;
      }
      if (amount.decimalPlaces() > options.places) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${options.places} decimal places (${options.unit})` });
        return z.NEVER;
      }
      return amount;
    });
}

export const quantitySchema = decimalSchema({ places: 6, unit: 'shares are held to 6 places' });
export const priceSchema = decimalSchema({ places: 6, unit: 'prices are stored to 6 places' });

/** Checks an amount against its currency's minor unit once the currency is known. */
export function assertMinorUnit(amount: Decimal, currency: string, ctx: z.RefinementCtx, path: string): void {
  // An unknown currency has its own issue already.
  if (MINOR_UNITS[currency] === undefined) return;
  const places = minorUnit(currency);
  if (amount.decimalPlaces() > places) {
    ctx.addIssue({ code: 'custom', path: [path], message: `must have at most ${places} decimal places in ${currency}` });
  }
}

const positiveMoney = decimalSchema({ places: 6, unit: 'money' });
const nonNegativeMoney = decimalSchema({ places: 6, allowZero: true, unit: 'money' });

export const createPortfolioSchema = z.object({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100, { message: 'must be at most 100 characters' }),
  baseCurrency: currencySchema.nullish().transform((value) => value ?? 'USD'),
  allowShort: z.boolean().nullish().transform((value) => value ?? false),
});

export const cashMovementSchema = z
  .object({ portfolioId: idSchema, amount: positiveMoney, currency: currencySchema.nullish(), idempotencyKey })
  .superRefine((input, ctx) => {
    if (input.currency) assertMinorUnit(input.amount, input.currency, ctx, 'amount');
  });

export const transferCashSchema = z
  .object({ fromPortfolioId: idSchema, toPortfolioId: idSchema, amount: positiveMoney, idempotencyKey })
  .refine((input) => input.fromPortfolioId !== input.toPortfolioId, { message: 'must differ from fromPortfolioId', path: ['toPortfolioId'] });

export const recordTradeSchema = z
  .object({
    portfolioId: idSchema,
    symbol: symbolSchema,
    side: z.enum(['BUY', 'SELL']),
    quantity: quantitySchema,
    price: priceSchema,
    fee: nonNegativeMoney.nullish().transform((value) => value ?? new Decimal(0)),
    currency: currencySchema.nullish().transform((value) => value ?? null),
    executedAt: z.date(),
  })
  .superRefine((input, ctx) => {
    if (input.currency) assertMinorUnit(input.fee, input.currency, ctx, 'fee');
    // A minute of slack for clocks that disagree.
    if (input.executedAt.getTime() > Date.now() + 60_000) ctx.addIssue({ code: 'custom', path: ['executedAt'], message: 'must not be in the future' });
  });

export type CashMovement = z.output<typeof cashMovementSchema>;
export type TransferCash = z.output<typeof transferCashSchema>;
export type RecordTrade = z.output<typeof recordTradeSchema>;
