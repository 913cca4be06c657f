/** A Prisma Decimal, or anything else a driver returns for numeric and bigint columns. */
export type NumericValue = { toNumber(): number } | number | string | bigint;

/** Converts a stored exact value to a GraphQL Float at the edge of the API. */
export function toFloat(value: NumericValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  return value.toNumber();
}

export function toFloatOrNull(value: NumericValue | null | undefined): number | null {
  return value === null || value === undefined ? null : toFloat(value);
}
