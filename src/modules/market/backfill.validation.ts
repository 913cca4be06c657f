import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { BadUserInputError } from '../../graphql/errors.js';
import { symbolSchema } from '../stock/stock.validation.js';

export const MAX_BACKFILL_SYMBOLS = 100;
export const MAX_BACKFILL_YEARS = 10;
const DAY_MS = 86_400_000;
/** Intraday ranges are capped further: a MINUTE month is ~8,000 rows per symbol. */
const MAX_SPAN_DAYS = { MINUTE: 31, HOUR: 731 } as const;

function addYears(date: Date, years: number): Date {
  const d = new Date(date.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

export const backfillInputSchema = z
  .object({
    provider: z.enum(['SIMULATED', 'YAHOO', 'CSV']),
    symbols: z
      .array(symbolSchema)
      .max(MAX_BACKFILL_SYMBOLS, { message: `must name at most ${MAX_BACKFILL_SYMBOLS} symbols` })
      .transform((symbols) => [...new Set(symbols)]),
    interval: z
      .enum(['MINUTE', 'HOUR', 'DAY'], { message: 'must be MINUTE, HOUR or DAY: WEEK and MONTH candles are aggregated from DAY candles, so backfill DAY' })
      .default('DAY'),
    from: z.date({ message: 'must be a date-time' }),
    to: z.date({ message: 'must be a date-time' }),
    csvPath: z
      .string()
      .trim()
      .max(500, { message: 'must be at most 500 characters' })
      .refine((value) => !value.includes('\0'), { message: 'must not contain NUL' })
      .transform((value) => (value === '' ? null : value))
      .nullish(),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (input.provider !== 'CSV' && input.symbols.length === 0) issue('symbols', 'must name at least one symbol');
    if (input.from.getTime() > input.to.getTime()) issue('from', '"from" must not be after "to"');
    else if (input.to.getTime() > addYears(input.from, MAX_BACKFILL_YEARS).getTime()) issue('to', `the range must not exceed ${MAX_BACKFILL_YEARS} years`);
    else if (input.interval !== 'DAY' && input.to.getTime() - input.from.getTime() > MAX_SPAN_DAYS[input.interval] * DAY_MS) {
      issue('to', `a ${input.interval} range must not exceed ${MAX_SPAN_DAYS[input.interval]} days`);
    }
    if (input.provider === 'CSV') {
      if (!input.csvPath) issue('csvPath', 'is required for the CSV provider');
      if (input.interval !== 'DAY') issue('interval', 'CSV files hold DAY candles only');
    } else if (input.csvPath) {
      issue('csvPath', 'is only for the CSV provider');
    }
  });

export type BackfillArgs = z.output<typeof backfillInputSchema>;

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The real path of `csvPath` taken relative to `importDir`, which must be a
 * regular file inside it, also after following symbolic links. Messages never
 * show server paths.
 */
export async function resolveImportFile(importDir: string, csvPath: string): Promise<string> {
  const outside = () => new BadUserInputError('csvPath: must name a file inside the import directory', 'csvPath');
  const root = resolve(importDir);
  const candidate = resolve(root, csvPath);
  if (!isInside(root, candidate)) throw outside();
  let real: string;
  let realRoot: string;
  try {
    [realRoot, real] = await Promise.all([realpath(root), realpath(candidate)]);
  } catch {
    throw new BadUserInputError(`csvPath: no file ${JSON.stringify(csvPath)} in the import directory`, 'csvPath');
  }
  if (!isInside(realRoot, real)) throw outside();
  if (!(await stat(real)).isFile()) throw new BadUserInputError('csvPath: is not a file', 'csvPath');
  return real;
}
