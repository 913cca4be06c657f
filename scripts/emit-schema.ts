// Writes schema.graphql from the code; tests/graphql/schema-file.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAppSchema, printAppSchema } from '../src/composition/schema.js';
import { PROJECT_ROOT } from '../src/paths.js';

const file = join(PROJECT_ROOT, 'schema.graphql');
writeFileSync(file, printAppSchema(await buildAppSchema()));
console.log(`wrote ${file}`);
