import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

/** Runs `src/main.ts` as `npm start` would, with the given environment; resolves with its exit code and stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'mg-start-')), PORT: '0', LOG_LEVEL: 'silent', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}

describe('start-up failures', () => {
  it('stops with one clear line when a database is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const { code, stderr } = await start({ STOCK_DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/stock' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^marketgraph failed to start: Cannot reach the stock database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/stock: /);
    expect(stderr).not.toContain('secret');
  });

  it('stops with one clear line when a variable is invalid', async () => {
    const { code, stderr } = await start({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('marketgraph failed to start: Invalid environment variable PORT: expected a port number (got "eighty")');
  });

  it('stops with one clear line when Redis is unreachable', async () => {
    const { code, stderr } = await start({ REDIS_URL: 'redis://127.0.0.1:1', SEED_ON_START: 'false' });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^marketgraph failed to start: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: /);
  });
});
