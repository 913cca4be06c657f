import { z } from 'zod';
import { uuidIdSchema } from '../../graphql/ids.js';
import { symbolSchema } from '../stock/stock.validation.js';
import { ALERT_CONDITIONS } from './alert-index.js';

export const createAlertSchema = z.object({
  symbol: symbolSchema,
  condition: z.enum(ALERT_CONDITIONS as [string, ...string[]]).transform((c) => c as (typeof ALERT_CONDITIONS)[number]),
  threshold: z.number().finite().nullish().transform((v) => v ?? null),
  screenerId: uuidIdSchema.nullish().transform((v) => v ?? null),
  scanKind: z.string().trim().min(1).max(40).nullish().transform((v) => v ?? null),
  cooldownSeconds: z.number().int().min(0).max(30 * 86_400).nullish().transform((v) => v ?? 0),
});
export const alertHistorySchema = z.object({
  first: z.number().int().min(1).max(100).nullish().transform((v) => v ?? 20),
  after: uuidIdSchema.nullish().transform((v) => v ?? null),
});
export const alertIdSchema = uuidIdSchema;
