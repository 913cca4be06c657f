import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAppSchema, printAppSchema } from '../../src/composition/schema.js';
import { PROJECT_ROOT } from '../../src/paths.js';

describe('schema.graphql', () => {
  it('is exactly what the code builds (run `npm run generate:schema` after changing the schema)', async () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'schema.graphql'), 'utf8');
    expect(committed).toBe(printAppSchema(await buildAppSchema()));
  });
});
