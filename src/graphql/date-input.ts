import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-11-05` as the start of that day in UTC; null when the text is not a real calendar date. */
export function parseDateOnly(text: string): Date | null {
  const match = DATE_ONLY.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

function dateOnlyOrNull(value: unknown): Date | null {
  if (typeof value !== 'string' || !DATE_ONLY.test(value)) return null;
  const date = parseDateOnly(value);
  if (!date) throw new GraphQLError(`DateOrDateTime cannot represent an invalid date: ${value}`);
  return date;
}

/**
 * An input time: a date-time exactly as the DateTime scalar takes it, or a
 * date alone (YYYY-MM-DD), meaning the start of that day in UTC.
 */
export const DateOrDateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateOrDateTime',
  description:
    'A date-time as DateTime takes it (2026-11-05T14:30:00Z), or a date alone (2026-11-05), meaning the start of that day in UTC.',
  serialize: (value) => DateTimeResolver.serialize(value) as unknown as string,
  parseValue: (value) => dateOnlyOrNull(value) ?? (DateTimeResolver.parseValue(value) as Date),
  parseLiteral: (ast, variables) =>
    (ast.kind === Kind.STRING ? dateOnlyOrNull(ast.value) : null) ?? (DateTimeResolver.parseLiteral(ast, variables) as Date),
});
