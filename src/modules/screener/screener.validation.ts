import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { BadUserInputError } from '../../graphql/errors.js';
import { firstSchema } from '../../graphql/pagination.js';
import { ScreenerSortField, SortDirection, type CategoricalFilter, type NumericFilter } from './screener.type.js';

export const MAX_CRITERIA = 20;
/** numeric(24,6) holds magnitudes below 10^18; larger bounds would fail in the database. */
const MAX_BOUND = 1e18;

const bound = z
  .number()
  .finite()
  .gt(-MAX_BOUND, { message: 'must be between -1e18 and 1e18' })
  .lt(MAX_BOUND, { message: 'must be between -1e18 and 1e18' })
  .nullish()
  // Stored as numeric(24,6): round the same way here, so a saved screener and runScreener agree.
  .transform((value) => (value == null ? null : new Decimal(value).toDecimalPlaces(6).toNumber()));

/** Kept as given: whether it names a filter is checked against the catalogue (resolveCriteria). */
const filterId = z.string().trim().min(1, { message: 'must not be empty' }).max(20, { message: 'no such filter' });

const numericCriterionSchema = z
  .object({ filterId, min: bound, max: bound })
  .refine((c) => c.min !== null || c.max !== null, { message: 'give min, max or both', path: ['min'] })
  .refine((c) => c.min === null || c.max === null || c.min <= c.max, {
    message: 'min must not be greater than max',
    path: ['min'],
  });

const categoricalCriterionSchema = z.object({
  filterId,
  values: z
    .array(z.string().trim().min(1, { message: 'must not be empty' }).max(200, { message: 'must be at most 200 characters' }))
    .min(1, { message: 'pick at least one value' })
    .max(100, { message: 'at most 100 values' }),
});

const criteriaShape = {
  numeric: z.array(numericCriterionSchema).nullish().transform((list) => list ?? []),
  categorical: z.array(categoricalCriterionSchema).nullish().transform((list) => list ?? []),
};

type CriteriaShape = { numeric: unknown[]; categorical: unknown[] };

function checkCriteriaCount(criteria: CriteriaShape, ctx: z.RefinementCtx): void {
  const total = criteria.numeric.length + criteria.categorical.length;
  if (total <= MAX_CRITERIA) return;
  ctx.addIssue({
    code: 'custom',
    message: `at most ${MAX_CRITERIA} criteria in all (numeric + categorical); got ${total}`,
    path: [criteria.numeric.length > MAX_CRITERIA ? 'numeric' : 'categorical'],
  });
}

const sortSchema = z
  .object({ field: z.enum(ScreenerSortField), direction: z.enum(SortDirection) })
  .nullish()
  .transform((sort) => sort ?? { field: ScreenerSortField.MARKET_CAP, direction: SortDirection.DESC });

const pageShape = {
  first: firstSchema,
  after: z.string().max(500, { message: 'not a cursor of this connection' }).nullish(),
  sort: sortSchema,
};

/** `results(first, after, sort)` of a saved screener. */
export const resultsArgsSchema = z.object(pageShape);
export type ResultsArgs = z.output<typeof resultsArgsSchema>;

export const runScreenerSchema = z.object({ ...criteriaShape, ...pageShape }).superRefine(checkCriteriaCount);
export type RunScreenerArgs = z.output<typeof runScreenerSchema>;

export const customScreenerInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { message: 'must be 1-100 characters' })
      .max(100, { message: 'must be 1-100 characters' }),
    description: z
      .string()
      .trim()
      .max(1000, { message: 'must be at most 1000 characters' })
      .nullish()
      .transform((value) => value || null),
    ...criteriaShape,
  })
  .superRefine(checkCriteriaCount);
export type CustomScreenerArgs = z.output<typeof customScreenerInputSchema>;

export interface CriteriaInput {
  numeric: { filterId: string; min: number | null; max: number | null }[];
  categorical: { filterId: string; values: string[] }[];
}

export interface ResolvedCriteria {
  numeric: { filter: NumericFilter; min: number | null; max: number | null }[];
  categorical: { filter: CategoricalFilter; values: string[] }[];
}

/** The catalogue row id an ID names, or null when it cannot name one (not a positive int4). */
export function filterIdOf(id: string): number | null {
  if (!/^\d{1,10}$/.test(id)) return null;
  const value = Number(id);
  return value >= 1 && value <= 2_147_483_647 ? value : null;
}

/** Every filter id the criteria name, for one batched catalogue look-up. */
export function referencedFilterIds(criteria: CriteriaInput): { numeric: number[]; categorical: number[] } {
  const ids = (list: { filterId: string }[]) => list.map((c) => filterIdOf(c.filterId)).filter((id): id is number => id !== null);
  return { numeric: ids(criteria.numeric), categorical: ids(criteria.categorical) };
}

function fail(field: string, message: string): never {
  throw new BadUserInputError(`${field}: ${message}`, field);
}

/**
 * Checks criteria against the catalogue (the filters `lookUp` found) and pairs each with its filter.
 * Field names follow parseInput's (`numeric[0].filterId`).
 */
export function resolveCriteria(
  criteria: CriteriaInput,
  found: { numeric: ReadonlyMap<number, NumericFilter>; categorical: ReadonlyMap<number, CategoricalFilter> },
): ResolvedCriteria {
  const numeric = criteria.numeric.map((criterion, i) => {
    const id = filterIdOf(criterion.filterId);
    const filter = id === null ? undefined : found.numeric.get(id);
    if (!filter) fail(`numeric[${i}].filterId`, `no numeric filter ${criterion.filterId}`);
    return { filter, min: criterion.min, max: criterion.max };
  });
  const categorical = criteria.categorical.map((criterion, i) => {
    const id = filterIdOf(criterion.filterId);
    const filter = id === null ? undefined : found.categorical.get(id);
    if (!filter) fail(`categorical[${i}].filterId`, `no categorical filter ${criterion.filterId}`);
    // Any letter case names an option; the option's own spelling is what runs and is saved.
    const options = new Map(filter.options.map((option) => [option.toLowerCase(), option]));
    const values = criterion.values.map((value, j) => {
      const option = options.get(value.toLowerCase());
      if (option === undefined) {
        fail(`categorical[${i}].values[${j}]`, `${JSON.stringify(value)} is not an option of ${filter.label} (options: ${filter.options.join(', ')})`);
      }
      return option;
    });
    return { filter, values: [...new Set(values)] };
  });
  return { numeric, categorical };
}
