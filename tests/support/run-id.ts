/** Set once per `npm test` by global-setup.ts; names this run's databases. */
export const TEST_RUN_VARIABLE = 'MG_TEST_RUN_ID';

/** `mg_test_<run>_`: every database this run creates starts with it, and only those are dropped. */
export function testDatabasePrefix(): string {
  const run = process.env[TEST_RUN_VARIABLE];
  if (!run) throw new Error(`${TEST_RUN_VARIABLE} is not set: run the tests through vitest (tests/support/global-setup.ts sets it)`);
  return `mg_test_${run}_`;
}

/** `mg-pglite-<run>-`: this run's migrated PGlite templates in the temp dir (tests/support/databases.ts). */
export function pgliteTemplatePrefix(): string {
  return `mg-pglite-${testDatabasePrefix().slice('mg_test_'.length, -1)}-`;
}
