import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for the project's own clients: reads the committed
 * schema.graphql and the operation documents, writes TypedDocumentNodes that
 * Apollo Client and the tests use. Run with `npm run codegen`.
 *
 * Two outputs, each with its own documents: the server-side clients and tests
 * (operations/) and the React example (examples/web/src/).
 */
const preset = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
} as const;

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  // ESM output: relative imports with .js, as NodeNext resolution requires (Vite resolves them too).
  emitLegacyCommonJSImports: false,
  generates: {
    'src/generated/operations/': { ...preset, documents: ['operations/**/*.graphql'] },
    'examples/web/src/gql/': { ...preset, documents: ['examples/web/src/**/*.graphql'] },
  },
};

export default config;
