import type { ModelMetrics } from './backtest.js';

export interface RankedModel {
  id: number;
  name: string;
  type: string;
  status: 'ACTIVE' | 'DEPRECATED';
  metrics: Partial<ModelMetrics>;
}

/** The ACTIVE model with the highest skill among those that beat naive; else the ACTIVE naive model; else null. */
export function bestModel<T extends RankedModel>(models: readonly T[]): T | null {
  const active = models.filter((m) => m.status === 'ACTIVE');
  let best: T | null = null;
  for (const model of active) {
    const skill = model.metrics.skill;
    if (model.type === 'NAIVE' || model.metrics.beatsNaive !== true || typeof skill !== 'number' || !(skill > 0)) continue;
    if (!best || skill > (best.metrics.skill as number)) best = model;
  }
  return best ?? active.find((m) => m.type === 'NAIVE') ?? null;
}
