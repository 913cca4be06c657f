import { z } from 'zod';
import { firstSchema } from '../../graphql/pagination.js';
import { ActivitySeverity, ActivitySource } from './activity.type.js';

export const myActivityArgsSchema = z.object({
  first: firstSchema,
  after: z.string().max(200).nullish(),
});

export const systemActivityArgsSchema = myActivityArgsSchema
  .extend({
    severity: z.nativeEnum(ActivitySeverity).nullish(),
    source: z.nativeEnum(ActivitySource).nullish(),
    correlationId: z.string().min(1).max(100).nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
  })
  .refine((args) => !args.from || !args.to || args.from <= args.to, { message: 'must not be after to', path: ['from'] });

export type MyActivityArgs = z.output<typeof myActivityArgsSchema>;
export type SystemActivityArgs = z.output<typeof systemActivityArgsSchema>;
