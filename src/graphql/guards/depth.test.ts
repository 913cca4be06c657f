import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { depthLimitRule } from './depth.js';

const schema = buildSchema(`type Node { name: String child: Node } type Query { root: Node }`);

function errorsFor(query: string, max: number) {
  return validate(schema, parse(query), [depthLimitRule(max)]).map((e) => e.message);
}

describe('depthLimitRule', () => {
  it('accepts an operation exactly at the limit', () => {
    expect(errorsFor('{ root { child { name } } }', 3)).toEqual([]);
  });

  it('rejects an operation one level past the limit, naming both depths', () => {
    expect(errorsFor('{ root { child { child { name } } } }', 3)).toEqual(['Operation is nested too deep (levels): found 4, the limit (GRAPHQL_MAX_DEPTH) is 3']);
  });

  it('counts fields reached through fragments and inline fragments', () => {
    const query = `{ root { ...Deep } } fragment Deep on Node { child { ... on Node { child { name } } } }`;
    expect(errorsFor(query, 3)).toEqual(['Operation is nested too deep (levels): found 4, the limit (GRAPHQL_MAX_DEPTH) is 3']);
  });

  it('ignores introspection fields, so tools can always load the schema', () => {
    expect(errorsFor('{ __schema { types { fields { type { ofType { name } } } } } }', 2)).toEqual([]);
  });

  it('does not loop on a fragment cycle', () => {
    const query = `{ root { ...A } } fragment A on Node { child { ...A } }`;
    expect(errorsFor(query, 5)).toEqual([]);
  });
});

describe('depthLimitRule on a fragment chain', () => {
  it('walks each fragment once when every fragment spreads the next twice', () => {
    const chain = Array.from({ length: 26 }, (_, i) => `fragment F${i} on Node { child { ...F${i + 1} ...F${i + 1} } }`).join('\n');
    const query = `{ root { ...F0 } } ${chain} fragment F26 on Node { name }`;
    const probe = { fragmentWalks: 0 };
    const errors = validate(schema, parse(query), [depthLimitRule(10, probe)]).map((e) => e.message);
    expect(errors).toEqual(['Operation is nested too deep (levels): found 28, the limit (GRAPHQL_MAX_DEPTH) is 10']);
    expect(probe.fragmentWalks).toBe(27);
  });
});
