// Child-process entry (see initialiseDataDir in shared-pglite.ts): runs PGlite's initdb on a new folder and exits,
// so the memory initdb leaves behind goes with this process.
import { PGlite } from '@electric-sql/pglite';
import { embeddedPgliteOptions } from './shared-pglite.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: pglite-init <dataDir>');
const db = await PGlite.create(dataDir, embeddedPgliteOptions());
await db.close();
