import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUserDatabase } from '../../src/db/database.js';
import { embeddedDataDir } from '../../src/db/embedded-layout.js';
import { migrate } from '../../src/db/migrator.js';
import { EMBEDDED_SCHEMAS } from '../../src/db/shared-pglite.js';
import { migrationsDir } from '../../src/paths.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'mg-admin-'));

/** `npm run admin -- …` on an embedded database under dataDir; resolves with exit code and output. */
async function admin(...args: string[]): Promise<{ code: number; out: string }> {
  return adminOnPort('1', ...args);
}

/** PORT: where the script looks for a running server (port 1: none). */
async function adminOnPort(port: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const env = { PATH: process.env.PATH!, NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: port };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

async function roleOf(email: string): Promise<string | undefined> {
  const db = await openUserDatabase({ dataDir: embeddedDataDir(dataDir), schema: EMBEDDED_SCHEMAS.user });
  try {
    return (await db.sql.query<{ role: string }>('SELECT role::text AS role FROM account WHERE email = $1', [email]))[0]?.role;
  } finally {
    await db.close();
  }
}

describe('npm run admin (embedded database)', () => {
  beforeAll(async () => {
    const db = await openUserDatabase({ dataDir: embeddedDataDir(dataDir), schema: EMBEDDED_SCHEMAS.user });
    await migrate(db.sql, migrationsDir('user'));
    await db.sql.query(`INSERT INTO account (id, email, password_hash, full_name) VALUES (gen_random_uuid(), 'ada@example.com', 'x', 'Ada')`);
    await db.close();
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('grants and revokes the admin role by email, in any letter case', async () => {
    const granted = await admin('grant', 'Ada@Example.com');
    expect(granted).toMatchObject({ code: 0, out: expect.stringContaining('ada@example.com is now an administrator') });
    expect(await roleOf('ada@example.com')).toBe('ADMIN');
    const revoked = await admin('revoke', 'ada@example.com');
    expect(revoked.code).toBe(0);
    expect(await roleOf('ada@example.com')).toBe('USER');
  }, 120_000);

  it('fails with a clear message for an unknown email or a wrong command', async () => {
    const unknown = await admin('grant', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('No account with the email nobody@example.com');
    expect(unknown.out).not.toMatch(/\n\s+at /);
    const usage = await admin('promote', 'ada@example.com');
    expect(usage.code).toBe(1);
    expect(usage.out).toContain('usage: npm run admin -- grant|revoke <email>');
  }, 120_000);

  it('refuses to open the embedded database while a server answers on the configured port', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    try {
      const { port } = server.address() as AddressInfo;
      const refused = await adminOnPort(String(port), 'grant', 'ada@example.com');
      expect(refused.code).toBe(1);
      expect(refused.out).toContain(`A server is running on port ${port}`);
      expect(await roleOf('ada@example.com')).toBe('USER');
    } finally {
      await new Promise((done) => server.close(done));
    }
  }, 120_000);
});
