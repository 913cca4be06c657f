import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for the project's own clients: reads the committed
 * schema.graphql and the operation documents, writes TypedDocumentNodes that
 * Apollo Client and the tests use. Run with `npm run codegen`.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  ignoreNoDocuments: false,
  // ESM output: relative imports with .js, as NodeNext resolution requires.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/generated/operations/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
