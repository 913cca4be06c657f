import type { z } from 'zod';
import { BadUserInputError } from './errors.js';

/** `numeric[0].filterId`, the way a client would point at the field. */
function formatPath(path: readonly PropertyKey[], prefix?: string): string {
  let out = prefix ?? '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

/**
 * Parses resolver input with a zod schema; the first problem becomes a
 * BAD_USER_INPUT error that names the offending field. `field` names a lone
 * argument validated on its own (e.g. `id`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = formatPath(issue.path, field);
  throw new BadUserInputError(at ? `${at}: ${issue.message}` : issue.message, at || undefined);
}
