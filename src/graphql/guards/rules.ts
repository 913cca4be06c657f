import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext, type ValidationRule } from 'graphql';
import { depthLimitRule, type DepthProbe } from './depth.js';
import { limitError } from './errors.js';
import type { GuardLimits } from './limits.js';

/** graphql-armor reports "…limit of N exceeded, found M."; the figure goes into our own message. */
function foundIn(error: GraphQLError): number | string {
  const match = /found (\d+)/.exec(error.message);
  return match ? Number(match[1]) : 'more';
}

function armorReject(setting: string, limit: number, what: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    context?.reportError(limitError(setting, limit, foundIn(error), what));
  };
}

/**
 * The one rule set both transports validate with (Apollo's validationRules
 * and the websocket's onSubscribe), added to graphql-js's specifiedRules.
 * Cost is not here: it needs the variables, so it runs after validation
 * (see cost.ts).
 */
export function guardRules(limits: GuardLimits, probe?: DepthProbe): ValidationRule[] {
  const rules: ValidationRule[] = [
    depthLimitRule(limits.maxDepth, probe),
    // armor's visitors memoize per fragment (linear); they throw unless told to report.
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [armorReject('GRAPHQL_MAX_ALIASES', limits.maxAliases, 'Operation uses too many aliases')],
    }) as unknown as ValidationRule,
    maxDirectivesRule({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [armorReject('GRAPHQL_MAX_DIRECTIVES', limits.maxDirectives, 'Operation uses too many directives')],
    }) as unknown as ValidationRule,
  ];
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

const SUGGESTION = /\s*Did you mean .+\?/g;

/**
 * With introspection off, "Did you mean "stock"?" would hand out the schema
 * one guess at a time; the same mask graphql-armor's block-field-suggestions
 * applies, usable on both transports.
 */
export function hideSuggestions<E extends { message: string }>(error: E): E {
  if (!SUGGESTION.test(error.message)) return error;
  SUGGESTION.lastIndex = 0;
  return { ...error, message: error.message.replace(SUGGESTION, '').trim() };
}
