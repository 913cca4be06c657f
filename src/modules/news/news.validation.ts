import { z } from 'zod';
import { BadUserInputError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor } from '../../graphql/relay.js';
import { firstSchema } from '../../graphql/pagination.js';
import { symbolSchema } from '../stock/stock.validation.js';
import type { ArticleCursor } from './news.sql.js';

/** The most symbols one `news` query may name. */
export const MAX_NEWS_SYMBOLS = 50;
const CURSOR_KIND = 'article';

export const encodeArticleCursor = (c: ArticleCursor) => encodeCursor(CURSOR_KIND, `${c.publishedAt.toISOString()}|${c.id}`);

/** `after` into the (publishedAt, id) it points past; anything else is BAD_USER_INPUT (thrown through zod's transform). */
export function decodeArticleCursor(cursor: string): ArticleCursor {
  const [at, id] = decodeCursor(CURSOR_KIND, cursor).split('|');
  const publishedAt = new Date(at ?? '');
  if (!id || !/^\d{1,19}$/.test(id) || Number.isNaN(publishedAt.getTime())) {
    throw new BadUserInputError('after: not a cursor of this connection', 'after');
  }
  return { publishedAt, id: id! };
}

const afterSchema = z
  .string()
  .nullish()
  .transform((value) => (value ? decodeArticleCursor(value) : null));

export const stockNewsArgsSchema = z.object({ first: firstSchema, after: afterSchema });
export type StockNewsArgs = z.output<typeof stockNewsArgsSchema>;

export const newsArgsSchema = z
  .object({
    symbols: z
      .array(symbolSchema)
      .min(1, { message: 'name at least one symbol, or leave the argument out for all news' })
      .max(MAX_NEWS_SYMBOLS, { message: `at most ${MAX_NEWS_SYMBOLS} symbols` })
      .nullish()
      .transform((value) => (value ? [...new Set(value)] : undefined)),
    from: z.date().nullish().transform((v) => v ?? undefined),
    to: z.date().nullish().transform((v) => v ?? undefined),
    first: firstSchema,
    after: afterSchema,
  })
  .refine((args) => !args.from || !args.to || args.from.getTime() <= args.to.getTime(), { message: 'must not be before from', path: ['to'] });
export type NewsArgs = z.output<typeof newsArgsSchema>;
