import { createRequire } from 'node:module';
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
  },
});
