import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The project root, found from this file so that src/ and dist/src/ both work. */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

export type DatabaseName = 'stock' | 'user';

export function migrationsDir(database: DatabaseName): string {
  return join(PROJECT_ROOT, 'prisma', database, 'migrations');
}
