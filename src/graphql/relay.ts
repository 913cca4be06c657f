import { Field, ObjectType, Directive } from './type-graphql.js';
import { BadUserInputError } from './errors.js';

// Takes its connection's maxAge, so a cached page of stocks stays cacheable and a page of orders stays uncached.
@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType({ description: 'Relay pagination state of a connection.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: connections page forward only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Opaque cursors: base64url of `<kind>:<key>`, so clients cannot rely on their content. */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string, field = 'after'): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${kind}:`;
  if (!decoded.startsWith(prefix) || decoded.length === prefix.length) {
    throw new BadUserInputError(`${field}: not a cursor of this connection`, field);
  }
  return decoded.slice(prefix.length);
}

/** Builds edges and pageInfo from a page fetched with one extra row to learn whether more exist. */
export function toPage<T>(rows: T[], pageSize: number, cursorOf: (row: T) => string) {
  const hasNextPage = rows.length > pageSize;
  const nodes = hasNextPage ? rows.slice(0, pageSize) : rows;
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  const pageInfo: PageInfo = {
    hasNextPage,
    hasPreviousPage: false,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
  return { edges, pageInfo };
}
