import { z } from 'zod';
import { BadUserInputError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor } from '../../graphql/relay.js';
import type { ScreenerPosition, ScreenerSortSpec } from './screener.sql.js';
import { ScreenerSortField, SortDirection } from './screener.type.js';

const CURSOR_KIND = 'screener';

/**
 * The cursor carries the sort it was made under: a position in one order means
 * nothing in another, so reusing it with a different sort is an input error.
 * The value is Postgres's own text of the sort value, so comparisons are exact.
 */
const cursorSchema = z.object({
  field: z.enum(ScreenerSortField),
  direction: z.enum(SortDirection),
  value: z.string().regex(/^-?\d+(\.\d+)?$/).nullable(),
  symbol: z.string().min(1).max(10),
});

export function encodeScreenerCursor(sort: ScreenerSortSpec, position: ScreenerPosition): string {
  // Sorting by symbol, the symbol is the whole position.
  const value = sort.field === ScreenerSortField.SYMBOL ? null : position.value;
  return encodeCursor(CURSOR_KIND, JSON.stringify({ field: sort.field, direction: sort.direction, value, symbol: position.symbol }));
}

export function decodeScreenerCursor(cursor: string, sort: ScreenerSortSpec, field = 'after'): ScreenerPosition {
  const raw = decodeCursor(CURSOR_KIND, cursor, field);
  let parsed: z.output<typeof cursorSchema>;
  try {
    parsed = cursorSchema.parse(JSON.parse(raw));
  } catch {
    throw new BadUserInputError(`${field}: not a cursor of this connection`, field);
  }
  if (parsed.field !== sort.field || parsed.direction !== sort.direction) {
    throw new BadUserInputError(`${field}: this cursor was made for a different sort order`, field);
  }
  return { value: parsed.value, symbol: parsed.symbol };
}
