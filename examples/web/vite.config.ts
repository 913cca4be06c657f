import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * React through esbuild's automatic JSX runtime (no @vitejs/plugin-react needed).
 * The API URL comes from /config.js at run time (serve.mjs writes it) or, failing that,
 * from VITE_API_URL at build time; the default is http://localhost:4000/graphql.
 */
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // jsxDev off for builds: under a test runner NODE_ENV=test would otherwise select react/jsx-dev-runtime.
  esbuild: { jsx: 'automatic', jsxDev: command !== 'build' },
  // A production bundle even when built from inside a test runner (NODE_ENV=test): React reads
  // process.env.NODE_ENV, Apollo Client 3 reads globalThis.__DEV__ (its dev-only checks, warnings
  // and error messages then drop out of the bundle). tests/browser/example-web.test.ts checks it.
  define:
    command === 'build'
      ? { 'process.env.NODE_ENV': JSON.stringify('production'), 'globalThis.__DEV__': JSON.stringify(false) }
      : {},
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { port: 5173 },
}));
