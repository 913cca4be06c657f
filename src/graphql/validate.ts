import type { z } from 'zod';
import { BadUserInputError } from './errors.js';

/**
 * Parses resolver input with a zod schema; the first problem becomes a
 * BAD_USER_INPUT error that names the offending field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw new BadUserInputError(field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
