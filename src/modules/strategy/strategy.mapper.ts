import type { Sizing } from './sizing.js';
import type { StrategyParams } from './strategy-signals.js';
import { SizingMode, StrategyKind, type Strategy } from './strategy.type.js';

export interface StrategyRow {
  id: string;
  portfolioId: string;
  kind: string;
  symbols: string[];
  params: unknown;
  sizing: unknown;
  enabled: boolean;
  createdAt: Date;
  disabledAt: Date | null;
}

export function toStrategy(row: StrategyRow): Strategy {
  const params = row.params as StrategyParams;
  const sizing = row.sizing as Sizing;
  return {
    id: row.id,
    portfolioId: row.portfolioId,
    kind: StrategyKind[params.kind],
    symbols: row.symbols,
    fastPeriod: params.kind === 'SMA_CROSSOVER' ? params.fastPeriod : null,
    slowPeriod: params.kind === 'SMA_CROSSOVER' ? params.slowPeriod : null,
    period: params.kind === 'RSI_MEAN_REVERSION' ? params.period : null,
    lower: params.kind === 'RSI_MEAN_REVERSION' ? params.lower : null,
    upper: params.kind === 'RSI_MEAN_REVERSION' ? params.upper : null,
    modelId: params.kind === 'FOLLOW_MODEL' ? params.modelId : null,
    minConfidence: params.kind === 'FOLLOW_MODEL' ? params.minConfidence : null,
    sizingMode: SizingMode[sizing.mode],
    quantity: sizing.mode === 'FIXED_QUANTITY' ? sizing.quantity : null,
    percentOfCash: sizing.mode === 'PERCENT_OF_CASH' ? sizing.percent : null,
    enabled: row.enabled,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
  };
}
