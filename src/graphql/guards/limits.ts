/** Every limit an operation passes before it runs, on HTTP and websocket alike. */
export interface GuardLimits {
  /** GRAPHQL_MAX_DEPTH: nested fields below the root (introspection `__` fields not counted). */
  maxDepth: number;
  /** GRAPHQL_MAX_ALIASES: aliased fields in one operation, counting each fragment spread. */
  maxAliases: number;
  /** GRAPHQL_MAX_DIRECTIVES: directives in one operation. */
  maxDirectives: number;
  /** GRAPHQL_MAX_TOKENS: lexical tokens in the document; parsing stops at the next one. */
  maxTokens: number;
  /** GRAPHQL_MAX_COST: estimated rows an operation may touch (see cost.ts). */
  maxCost: number;
  /** GRAPHQL_MAX_DOCUMENT_CHARS: characters in the query text, checked before parsing. */
  maxDocumentChars: number;
  /** False in production: no introspection, no "Did you mean" suggestions. */
  introspection: boolean;
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
  maxCost: 5000,
  maxDocumentChars: 15_000,
  introspection: true,
};
