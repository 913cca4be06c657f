// npm run admin -- grant ada@example.com    makes the account an administrator
// npm run admin -- revoke ada@example.com   makes it an ordinary user again
// Uses the same configuration as the server (USER_DATABASE_URL, or embedded PGlite under DATA_DIR).
// Access tokens already issued keep their old role until they expire (ACCESS_TOKEN_TTL_SECONDS); a new sign-in picks it up.
import { loadConfig } from '../src/config.js';
import { openUserDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrator.js';
import { databaseTargets } from '../src/db/targets.js';
import { migrationsDir } from '../src/paths.js';
import { runScript } from './script-support.js';

const USAGE = 'usage: npm run admin -- grant|revoke <email>';

class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

class AdminError extends Error {
  override name = 'AdminError';
}

/** Whether a marketgraph server answers on this machine's configured port (it would hold the embedded database). */
async function serverRunning(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return response.headers.get('content-type')?.includes('json') ?? false;
  } catch {
    return false;
  }
}

await runScript(async () => {
  const [action, rawEmail, ...extra] = process.argv.slice(2);
  if (action !== 'grant' && action !== 'revoke') throw new UsageError(`expected grant or revoke, got ${action ?? 'nothing'}`);
  if (!rawEmail || extra.length > 0) throw new UsageError('expected exactly one email');
  const email = rawEmail.trim().toLowerCase();
  const role = action === 'grant' ? 'ADMIN' : 'USER';

  const config = loadConfig();
  const target = databaseTargets(config, 1).user;
  // PGlite takes no lock on its folder: two processes writing it can corrupt it. Refuse while a server answers.
  if ('dataDir' in target && config.port !== 0 && (await serverRunning(config.port))) {
    throw new AdminError(
      `A server is running on port ${config.port}, and it holds the embedded user database at ${target.dataDir}. ` +
        'An embedded (PGlite) database must be used by one process at a time: stop the server (npm start), then run this again.',
    );
  }
  const db = await openUserDatabase(target).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    if ('dataDir' in target) {
      throw new AdminError(
        `Cannot open the embedded user database at ${target.dataDir}: ${reason}\n` +
          'An embedded (PGlite) database can be opened by one process at a time: stop the running server (npm start) and try again.',
      );
    }
    throw error;
  });
  try {
    if (config.migrateOnStart) await migrate(db.sql, migrationsDir('user'));
    const account = await db.prisma.account.findUnique({ where: { email }, select: { id: true, role: true } });
    if (!account) throw new AdminError(`No account with the email ${email} in the user database (${db.location}): it must register first`);
    if (account.role === role) {
      console.log(`${email} is already ${role === 'ADMIN' ? 'an administrator' : 'not an administrator'}; nothing changed`);
      return;
    }
    await db.prisma.account.update({ where: { id: account.id }, data: { role } });
    console.log(
      `${email} is now ${role === 'ADMIN' ? 'an administrator' : 'an ordinary user'} (${db.location}). ` +
        'Tokens issued before keep the old role until they expire; sign in again to use the new one.',
    );
  } finally {
    await db.close();
  }
});
