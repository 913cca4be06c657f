import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { depthLimit } from './depth-limit.js';

const schema = buildSchema(`type Node { name: String child: Node } type Query { root: Node }`);

function errorsFor(query: string, max: number) {
  return validate(schema, parse(query), [depthLimit(max)]).map((e) => e.message);
}

describe('depthLimit', () => {
  it('accepts an operation exactly at the limit', () => {
    expect(errorsFor('{ root { child { name } } }', 3)).toEqual([]);
  });

  it('rejects an operation one level past the limit, naming both depths', () => {
    expect(errorsFor('{ root { child { child { name } } } }', 3)).toEqual(['Query is nested 4 levels deep; the limit is 3']);
  });

  it('counts fields reached through fragments and inline fragments', () => {
    const query = `{ root { ...Deep } } fragment Deep on Node { child { ... on Node { child { name } } } }`;
    expect(errorsFor(query, 3)).toEqual(['Query is nested 4 levels deep; the limit is 3']);
  });

  it('ignores introspection fields, so tools can always load the schema', () => {
    expect(errorsFor('{ __schema { types { fields { type { ofType { name } } } } } }', 2)).toEqual([]);
  });

  it('does not loop on a fragment cycle', () => {
    const query = `{ root { ...A } } fragment A on Node { child { ...A } }`;
    expect(errorsFor(query, 5)).toEqual([]);
  });
});
