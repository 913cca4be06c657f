import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships both index.mjs and index.js. Vite would hand our code the .mjs
    // while Node hands type-graphql and Apollo the .js: two copies of GraphQLError
    // and "Cannot use GraphQLScalarType from another module or realm". One copy:
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Integration tests each start databases (PGlite in memory, or real servers); give them room.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one fork less than the cores: a single fork on a 2-core machine, which left one core
    // idle while each file waits on its in-process PGlite (CPU-bound WASM). Every file has its own databases,
    // ports and Redis prefix, so files run side by side. `--maxWorkers` on the command line still wins.
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
  },
});
