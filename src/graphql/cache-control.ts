import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt } from 'graphql';

/**
 * Apollo Server's cache-control directive (its built-in cacheControl plugin reads it from each type's and
 * field's AST node). Declared here so the schema carries the definition and tools that read schema.graphql
 * know it; applied with type-graphql's `@Directive(cacheHint(...))`.
 */
export const CacheControlScope = new GraphQLEnumType({
  name: 'CacheControlScope',
  description: 'PUBLIC: one answer serves every viewer; PRIVATE: the answer depends on who asks.',
  values: { PUBLIC: { value: 'PUBLIC' }, PRIVATE: { value: 'PRIVATE' } },
});

export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'How long (seconds) and for whom an answer that includes this type or field may be cached.',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: CacheControlScope },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});

/** How long the market data behind a hint stays true; one place to tune them. */
export const CACHE_SECONDS = {
  /** Quotes and candles move with every tick (MARKET_TICK_SECONDS, 5 s by default). */
  tick: 5,
  /** Stock rows and indicators: changed by jobs that announce it on the bus (minutes to days). */
  listing: 60,
  /** The filter catalogue and predefined screeners: changed by the seed or an operator. */
  catalogue: 300,
} as const;

/** The `@cacheControl(...)` text for `@Directive(...)`: maxAge in seconds, PUBLIC unless said otherwise. */
export function cacheHint(maxAge: number, scope: 'PUBLIC' | 'PRIVATE' = 'PUBLIC'): string {
  return scope === 'PUBLIC' ? `@cacheControl(maxAge: ${maxAge})` : `@cacheControl(maxAge: ${maxAge}, scope: PRIVATE)`;
}
