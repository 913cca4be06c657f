import { z } from 'zod';
import { uuidIdSchema } from '../../graphql/ids.js';
import { symbolSchema } from '../stock/stock.validation.js';

export const MAX_SYMBOLS_PER_COLLECTION = 500;

const name = z.string().trim().min(1, { message: 'must not be empty' }).max(100, { message: 'must be at most 100 characters' });
const description = z
  .string()
  .trim()
  .max(1000, { message: 'must be at most 1000 characters' })
  .nullish()
  .transform((value) => value || null);

export const idSchema = uuidIdSchema;

export const createCollectionSchema = z.object({
  name,
  description,
  symbols: z
    .array(symbolSchema)
    .max(MAX_SYMBOLS_PER_COLLECTION, { message: `must list at most ${MAX_SYMBOLS_PER_COLLECTION} symbols` })
    .nullish()
    .transform((symbols) => [...new Set(symbols ?? [])]),
});

export const renameCollectionSchema = z.object({ id: idSchema, name });

export const collectionStockSchema = z.object({ collectionId: idSchema, symbol: symbolSchema });

export const markStockSchema = z.object({
  symbol: symbolSchema,
  targetPrice: z.number().finite().positive({ message: 'must be a positive price' }).max(1e12).nullish().transform((v) => v ?? null),
  note: z
    .string()
    .trim()
    .max(2000, { message: 'must be at most 2000 characters' })
    .nullish()
    .transform((v) => v || null),
});
