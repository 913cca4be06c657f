// PostGraphile 4 as a benchmark baseline. npm installed it with two private copies of graphql 15
// (under postgraphile/ and graphile-build-pg/) while graphql-parse-resolve-info, which it also
// uses, resolves the project's graphql 16: the schema it builds then mixes three graphql
// instances and every query fails with "Cannot use GraphQLScalarType "Int" from another module
// or realm". So, for requires coming from PostGraphile's own packages only, `graphql` resolves
// to postgraphile's copy; the app in the same process keeps graphql 16.
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { postgraphile as PostGraphile } from 'postgraphile';

const require = createRequire(import.meta.url);
const FROM_POSTGRAPHILE = /[\\/]node_modules[\\/](postgraphile|graphile-build-pg|graphile-build|graphile-utils|postgraphile-core|graphql-parse-resolve-info|@graphile[\\/][^\\/]+)[\\/]/;

type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
let patched = false;

/** PostGraphile's `postgraphile()` with one graphql for all of its packages. */
export function loadPostgraphile(): typeof PostGraphile {
  if (!patched) {
    const postgraphileDir = dirname(require.resolve('postgraphile/package.json'));
    const internals = Module as unknown as { _resolveFilename: Resolve; _nodeModulePaths(dir: string): string[] };
    // Resolving as if required from postgraphile's own index, where its graphql copy is the nearest.
    const fromPostgraphile = { id: postgraphileDir, filename: `${postgraphileDir}/index.js`, paths: internals._nodeModulePaths(postgraphileDir) };
    const original = internals._resolveFilename;
    internals._resolveFilename = function (request, parent, ...rest) {
      const redirect = (request === 'graphql' || request.startsWith('graphql/')) && parent?.filename && FROM_POSTGRAPHILE.test(parent.filename);
      return original.call(this, request, redirect ? fromPostgraphile : parent, ...rest);
    };
    patched = true;
  }
  return (require('postgraphile') as { postgraphile: typeof PostGraphile }).postgraphile;
}
