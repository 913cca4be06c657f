import { z } from 'zod';
import { symbolSchema } from '../stock/stock.validation.js';

export const MAX_SYMBOLS_PER_SUBSCRIPTION = 100;

export const priceUpdatedSchema = z.object({
  symbols: z
    .array(symbolSchema)
    .min(1, { message: 'must name at least one symbol' })
    .max(MAX_SYMBOLS_PER_SUBSCRIPTION, { message: `must name at most ${MAX_SYMBOLS_PER_SUBSCRIPTION} symbols` })
    .transform((symbols) => [...new Set(symbols)]),
});
