import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getNamedType,
  getOperationAST,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getDirectiveValues } from 'graphql/execution/values.js';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';

export type { ComplexityEstimatorArgs };

import { DEFAULT_PAGE_SIZE as DEFAULT_PAGE } from '../pagination.js';

export interface CostProbe {
  fragmentWalks: number;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * Default cost when a field declares none: a leaf costs 0, an object 1 plus
 * its children, and a field taking `first` (a page) or `last` costs that
 * many times (1 + children).
 */
function defaultCost(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, childComplexity: number): number {
  if (isLeafType(getNamedType(field.type))) return 0;
  const takesPage = field.args.some((a) => a.name === 'first' || a.name === 'last');
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : takesPage ? DEFAULT_PAGE : 1;
  return Math.max(size, 0) * (1 + childComplexity);
}

/**
 * The operation's estimated cost: roughly the rows it makes the server read
 * or build. A field may declare its own with type-graphql's
 * `complexity` (a number added to its children, or an estimator in
 * graphql-query-complexity's contract). Unlike graphql-query-complexity's
 * walker, each fragment's cost is computed once and reused at every spread,
 * so the cost of a document is linear in its size.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
  probe?: CostProbe,
): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const vars = variables ?? {};

  function included(node: { directives?: FieldNode['directives'] }): boolean {
    if (!node.directives?.length) return true;
    try {
      const skip = getDirectiveValues(GraphQLSkipDirective, node, vars);
      if (skip?.if === true) return false;
      const include = getDirectiveValues(GraphQLIncludeDirective, node, vars);
      return include?.if !== false;
    } catch {
      return true;
    }
  }

  function fieldCost(node: FieldNode, type: GraphQLCompositeType): number {
    if (node.name.value.startsWith('__') || !('getFields' in type)) return 0;
    const field = type.getFields()[node.name.value];
    if (!field) return 0;
    const named = getNamedType(field.type);
    const childComplexity = node.selectionSet && isCompositeType(named) ? selectionCost(node.selectionSet, named) : 0;
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(field, node, vars);
    } catch {
      // Bad arguments fail execution with their own error; cost them as defaults.
    }
    const declared = field.extensions?.complexity as number | ((a: ComplexityEstimatorArgs) => number | void) | undefined;
    if (typeof declared === 'number') return declared + childComplexity;
    if (typeof declared === 'function') {
      const value = declared({ type, field, node, args, childComplexity });
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    return isList(field.type) && !field.args.length ? 1 + childComplexity : defaultCost(field, args, childComplexity);
  }

  function selectionCost(selectionSet: SelectionSetNode, type: GraphQLCompositeType): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, type);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : type;
        total += on && isCompositeType(on) ? selectionCost(selection.selectionSet, on) : 0;
      } else {
        const name = selection.name.value;
        let cost = memo.get(name);
        if (cost === undefined) {
          const fragment = fragments.get(name);
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          if (probe) probe.fragmentWalks++;
          const on = typeFromAST(schema, fragment.typeCondition);
          cost = on && isCompositeType(on) ? selectionCost(fragment.selectionSet, on) : 0;
          visiting.delete(name);
          memo.set(name, cost);
        }
        total += cost;
      }
    }
    return total;
  }

  return selectionCost(operation.selectionSet, root);
}

/** Rows a time-series field returns: `last`, or the span of [from, to] in its interval, whichever is smaller. */
export function seriesRows(args: Record<string, unknown>, max: number, msPerRow: number): number {
  const last = typeof args.last === 'number' ? Math.min(args.last, max) : max;
  const from = args.from instanceof Date ? args.from.getTime() : undefined;
  const to = args.to instanceof Date ? args.to.getTime() : undefined;
  if (from === undefined) return last;
  const span = Math.ceil(((to ?? Date.now()) - from) / msPerRow) + 1;
  return Math.max(1, Math.min(last, span));
}

/** Cost of a page of `first` items (default page size when absent). */
export function pageCost(first: unknown, childComplexity: number): number {
  return rowsCost(typeof first === 'number' ? Math.max(first, 0) : DEFAULT_PAGE, childComplexity);
}

/** Estimator for a field returning `rows` items: rows × (1 + cost of one item). */
export function rowsCost(rows: number, childComplexity: number): number {
  return rows * (1 + childComplexity);
}
