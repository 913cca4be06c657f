import { GraphQLError, type ASTNode } from 'graphql';

/** A limit an operation broke: names the setting, its value and the operation's figure. */
export function limitError(setting: string, limit: number, found: number | string, what: string, nodes?: ASTNode[]): GraphQLError {
  return new GraphQLError(`${what}: found ${found}, the limit (${setting}) is ${limit}`, {
    nodes,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: setting, max: limit, found },
  });
}

export class QueryTooComplexError extends GraphQLError {
  constructor(requested: number, limit: number) {
    super(`Operation cost ${requested} is above the limit (GRAPHQL_MAX_COST) of ${limit}; ask for fewer rows or smaller pages`, {
      extensions: { code: 'QUERY_TOO_COMPLEX', cost: { requested, limit } },
    });
  }
}
