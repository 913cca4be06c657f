import { z } from 'zod';
import { firstSchema } from '../../graphql/pagination.js';
import { SCAN_KINDS } from './scan-math.js';

export const timeframeSchema = z.enum(['DAILY', 'WEEKLY'], { message: 'must be DAILY or WEEKLY' });

export const marketScanSchema = z.object({
  timeframe: timeframeSchema.nullish().transform((value) => value ?? 'DAILY'),
  kind: z.enum(SCAN_KINDS, { message: 'not a scan kind' }),
  first: firstSchema,
  after: z.string().max(200, { message: 'not a cursor of this connection' }).nullish().transform((value) => value ?? null),
});
