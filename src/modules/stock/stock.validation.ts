import { z } from 'zod';
import { firstSchema } from '../../graphql/pagination.js';

/** The most candles one `candles` field returns. */
export const MAX_CANDLES = 1000;

/** Trimmed, upper-cased, 1-10 of A-Z 0-9 '.' '-' (BRK.B, BF-B). */
export const symbolSchema = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9.-]{1,10}$/, { message: 'must be 1-10 letters, digits, "." or "-"' }));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .transform((value) => (value === '' ? undefined : value))
    .nullish();

const nonNegative = z.number().finite().nonnegative({ message: 'must not be negative' }).nullish();

export const stockFilterSchema = z
  .object({
    sector: optionalText(100),
    industry: optionalText(100),
    exchange: optionalText(20),
    search: optionalText(100),
    marketCapMin: nonNegative,
    marketCapMax: nonNegative,
  })
  .refine((f) => f.marketCapMin == null || f.marketCapMax == null || f.marketCapMin <= f.marketCapMax, {
    message: 'marketCapMin must not be greater than marketCapMax',
    path: ['marketCapMin'],
  });

export type StockFilterInput = z.output<typeof stockFilterSchema>;

export const stocksArgsSchema = z.object({
  first: firstSchema,
  after: z.string().max(200).nullish(),
  filter: stockFilterSchema.nullish(),
});

export const candlesArgsSchema = z
  .object({
    interval: z.enum(['MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH']),
    from: z.date().nullish(),
    to: z.date().nullish(),
    last: z
      .number()
      .int()
      .min(1, { message: `must be between 1 and ${MAX_CANDLES}` })
      .max(MAX_CANDLES, { message: `must be between 1 and ${MAX_CANDLES}` })
      .nullish()
      .transform((value) => value ?? MAX_CANDLES),
  })
  .refine((a) => !a.from || !a.to || a.from.getTime() <= a.to.getTime(), {
    message: '"from" must not be after "to"',
    path: ['from'],
  });

export type CandlesArgs = z.output<typeof candlesArgsSchema>;
