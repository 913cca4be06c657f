import { z } from 'zod';
import { symbolSchema } from '../stock/stock.validation.js';
import { idSchema } from '../portfolio/portfolio.validation.js';
import type { Sizing } from './sizing.js';
import type { StrategyParams } from './strategy-signals.js';

const period = (max: number) => z.number().int().min(1).max(max);
const opt = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

/** The flat GraphQL input, checked per kind and turned into StrategyParams + Sizing. */
export const strategySchema = z
  .object({
    kind: z.enum(['SMA_CROSSOVER', 'RSI_MEAN_REVERSION', 'FOLLOW_MODEL']),
    fastPeriod: opt(period(250)),
    slowPeriod: opt(period(400)),
    period: opt(period(250)),
    lower: opt(z.number().gt(0).lt(100)),
    upper: opt(z.number().gt(0).lt(100)),
    modelId: opt(z.string().min(1).max(100)),
    minConfidence: opt(z.number().min(0).max(1)),
    sizingMode: opt(z.enum(['FIXED_QUANTITY', 'PERCENT_OF_CASH'])),
    quantity: opt(z.number().positive().max(1e9)),
    percentOfCash: opt(z.number().gt(0).max(100)),
  })
  .superRefine((input, ctx) => {
    const fast = input.fastPeriod ?? 20;
    const slow = input.slowPeriod ?? 50;
    if (input.kind === 'SMA_CROSSOVER' && fast >= slow) ctx.addIssue({ code: 'custom', path: ['fastPeriod'], message: 'must be below slowPeriod' });
    if (input.kind === 'RSI_MEAN_REVERSION' && (input.lower ?? 30) >= (input.upper ?? 70)) ctx.addIssue({ code: 'custom', path: ['lower'], message: 'must be below upper' });
    if (input.kind === 'FOLLOW_MODEL' && !input.modelId) ctx.addIssue({ code: 'custom', path: ['modelId'], message: 'is required for FOLLOW_MODEL' });
    if (input.sizingMode === 'FIXED_QUANTITY' && input.quantity === undefined) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'is required for FIXED_QUANTITY' });
    if (input.sizingMode !== 'FIXED_QUANTITY' && input.quantity !== undefined) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'is only for FIXED_QUANTITY' });
    if (input.sizingMode === 'FIXED_QUANTITY' && input.percentOfCash !== undefined) ctx.addIssue({ code: 'custom', path: ['percentOfCash'], message: 'is only for PERCENT_OF_CASH' });
  })
  .transform((input): { params: StrategyParams; sizing: Sizing } => {
    const params: StrategyParams =
      input.kind === 'SMA_CROSSOVER'
        ? { kind: input.kind, fastPeriod: input.fastPeriod ?? 20, slowPeriod: input.slowPeriod ?? 50 }
        : input.kind === 'RSI_MEAN_REVERSION'
          ? { kind: input.kind, period: input.period ?? 14, lower: input.lower ?? 30, upper: input.upper ?? 70 }
          : { kind: input.kind, modelId: input.modelId!, minConfidence: input.minConfidence ?? 0.6 };
    const sizing: Sizing =
      input.sizingMode === 'FIXED_QUANTITY' ? { mode: 'FIXED_QUANTITY', quantity: input.quantity! } : { mode: 'PERCENT_OF_CASH', percent: input.percentOfCash ?? 10 };
    return { params, sizing };
  });

const symbolsSchema = z
  .array(symbolSchema)
  .min(1)
  .max(20)
  .transform((symbols) => [...new Set(symbols)]);

export const enableStrategySchema = z.object({ portfolioId: idSchema, strategy: strategySchema, symbols: symbolsSchema });
export type EnableStrategy = z.output<typeof enableStrategySchema>;

export const backtestSchema = z
  .object({
    strategy: strategySchema,
    symbols: symbolsSchema,
    from: z.date(),
    to: z.date(),
    initialCash: z.number().positive().max(1e12),
  })
  .superRefine((input, ctx) => {
    if (input.from.getTime() > input.to.getTime()) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  });
export type BacktestRequest = z.output<typeof backtestSchema>;
