import { z } from 'zod';

/** The most points one `indicatorSeries` field returns. */
export const MAX_INDICATOR_POINTS = 1000;

const range = `must be between 1 and ${MAX_INDICATOR_POINTS}`;

export const indicatorSeriesArgsSchema = z
  .object({
    from: z.date().nullish(),
    to: z.date().nullish(),
    last: z
      .number()
      .int()
      .min(1, { message: range })
      .max(MAX_INDICATOR_POINTS, { message: range })
      .nullish()
      .transform((value) => value ?? MAX_INDICATOR_POINTS),
  })
  .refine((a) => !a.from || !a.to || a.from.getTime() <= a.to.getTime(), {
    message: '"from" must not be after "to"',
    path: ['from'],
  });

export type IndicatorSeriesArgs = z.output<typeof indicatorSeriesArgsSchema>;
