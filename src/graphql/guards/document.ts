import { GraphQLError, Lexer, Source, TokenKind, parse, type DocumentNode } from 'graphql';
import { limitError } from './errors.js';
import type { GuardLimits } from './limits.js';

/**
 * Size and token count, checked on the raw text before any parsing: the work
 * is bounded by maxDocumentChars, then by maxTokens lexer steps.
 */
export function checkDocumentText(query: string, limits: Pick<GuardLimits, 'maxDocumentChars' | 'maxTokens'>): GraphQLError | undefined {
  if (query.length > limits.maxDocumentChars) {
    return limitError('GRAPHQL_MAX_DOCUMENT_CHARS', limits.maxDocumentChars, query.length, 'Document is too long (characters)');
  }
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++tokens > limits.maxTokens) {
        return limitError('GRAPHQL_MAX_TOKENS', limits.maxTokens, `more than ${limits.maxTokens}`, 'Document has too many tokens');
      }
    }
  } catch {
    // A lexing error is reported by the parser with its location.
  }
  return undefined;
}

/** Parses with graphql-js's own token cap, so no path parses an unbounded document. */
export function parseWithLimits(query: string, limits: Pick<GuardLimits, 'maxDocumentChars' | 'maxTokens'>): DocumentNode | readonly GraphQLError[] {
  const refused = checkDocumentText(query, limits);
  if (refused) return [refused];
  try {
    return parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError) return [new GraphQLError(error.message, { source: error.source, positions: error.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    throw error;
  }
}
