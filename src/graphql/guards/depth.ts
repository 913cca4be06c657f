import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { limitError } from './errors.js';

/** Counts how often a fragment's body was walked; tests assert it stays linear in the document. */
export interface DepthProbe {
  fragmentWalks: number;
}

/**
 * Rejects operations nested deeper than `maxDepth` fields. Each fragment's
 * depth is computed once per validation and reused at every spread, so a
 * chain of fragments each spreading the next twice costs one walk per
 * fragment, not 2^n.
 */
export function depthLimitRule(maxDepth: number, probe?: DepthProbe): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const memo = new Map<string, number>();
    const visiting = new Set<string>();

    function fragmentDepth(fragment: FragmentDefinitionNode): number {
      const name = fragment.name.value;
      const known = memo.get(name);
      if (known !== undefined) return known;
      // A cycle is reported by graphql-js's NoFragmentCycles rule.
      if (visiting.has(name)) return 0;
      visiting.add(name);
      if (probe) probe.fragmentWalks++;
      const depth = depthOf(fragment.selectionSet);
      visiting.delete(name);
      memo.set(name, depth);
      return depth;
    }

    function depthOf(selectionSet: SelectionSetNode | undefined): number {
      if (!selectionSet) return 0;
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet));
        } else {
          const fragment = context.getFragment(selection.name.value);
          if (fragment) deepest = Math.max(deepest, fragmentDepth(fragment));
        }
      }
      return deepest;
    }

    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(limitError('GRAPHQL_MAX_DEPTH', maxDepth, depth, 'Operation is nested too deep (levels)', [operation]));
        }
      },
    };
  };
}
