import { GraphQLError, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { operationCost } from './cost.js';
import { parseWithLimits } from './document.js';
import { QueryTooComplexError } from './errors.js';
import type { GuardLimits } from './limits.js';
import { hideSuggestions } from './rules.js';

export interface GuardedOperation {
  document: DocumentNode;
  cost: { requested: number; limit: number };
}

/**
 * What Apollo does for HTTP, for transports that execute themselves (graphql-ws):
 * text limits, bounded parse, the shared rules, then cost.
 */
export function validateOperation(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  limits: GuardLimits,
  request: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
): GuardedOperation | readonly GraphQLError[] {
  const parsed = parseWithLimits(request.query, limits);
  if (!('kind' in parsed)) return parsed;
  const errors = validate(schema, parsed, [...specifiedRules, ...rules]);
  if (errors.length > 0) {
    return errors.map((e) => {
      const masked = limits.introspection ? e : hideSuggestions(e);
      const code = e.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED';
      return new GraphQLError(masked.message, { nodes: e.nodes, extensions: { ...e.extensions, code } });
    });
  }
  const requested = operationCost(schema, parsed, request.variables ?? undefined, request.operationName);
  if (requested > limits.maxCost) return [new QueryTooComplexError(requested, limits.maxCost)];
  return { document: parsed, cost: { requested, limit: limits.maxCost } };
}
