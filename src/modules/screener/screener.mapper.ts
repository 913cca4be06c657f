import { z } from 'zod';
import type { CategoricalFilterModel, NumericFilterModel, ScreenerModel } from '../../generated/stock/models.js';
import type {
  CustomScreenerCategoricalModel,
  CustomScreenerModel,
  CustomScreenerNumericModel,
} from '../../generated/user/models.js';
import { toFloatOrNull } from '../../lib/numbers.js';
import type {
  CategoricalCriterion,
  CategoricalFilter,
  CustomScreener,
  NumericCriterion,
  NumericFilter,
  PredefinedCriteria,
  Screener,
} from './screener.type.js';

export function toNumericFilter(row: NumericFilterModel): NumericFilter {
  return {
    id: row.id,
    key: row.key,
    label: row.label,
    unit: row.unit,
    min: toFloatOrNull(row.minValue),
    max: toFloatOrNull(row.maxValue),
    columnName: row.columnName,
  };
}

export function toCategoricalFilter(row: CategoricalFilterModel): CategoricalFilter {
  return { id: row.id, key: row.key, label: row.label, options: row.options ?? [], columnName: row.columnName };
}

/** screener.criteria as seeded (see src/db/seed/catalogue.data.ts); a bad row is a server error. */
const predefinedCriteriaSchema = z.object({
  numeric: z
    .array(z.object({ filterKey: z.string(), min: z.number().nullish(), max: z.number().nullish() }))
    .default([])
    .transform((list) => list.map((c) => ({ filterKey: c.filterKey, min: c.min ?? null, max: c.max ?? null }))),
  categorical: z.array(z.object({ filterKey: z.string(), values: z.array(z.string()) })).default([]),
});

export function toScreener(row: ScreenerModel): Screener {
  const criteria: PredefinedCriteria = predefinedCriteriaSchema.parse(row.criteria);
  return { id: row.id, key: row.key, name: row.name, description: row.description, criteria };
}

export function toCustomScreener(row: CustomScreenerModel): CustomScreener {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export function toNumericCriterion(row: CustomScreenerNumericModel): NumericCriterion {
  return { filterId: row.numericFilterId, min: toFloatOrNull(row.min), max: toFloatOrNull(row.max) };
}

export function toCategoricalCriterion(row: CustomScreenerCategoricalModel): CategoricalCriterion {
  return { filterId: row.categoricalFilterId, values: row.values ?? [] };
}
