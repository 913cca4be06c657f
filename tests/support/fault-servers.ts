import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether this machine can start its own PostgreSQL cluster and redis-server (the fault tests need both). */
export const canStartServers = existsSync(join(PG_BIN, 'initdb')) && spawnSync('which', ['redis-server']).status === 0;

const asRoot = process.getuid?.() === 0;
/** initdb and postgres refuse to run as root: run them as the postgres user there. */
function pgCommand(binary: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args]] : [join(PG_BIN, binary), args];
}

function waitFor(check: () => Promise<boolean>, what: string, tries = 200): Promise<void> {
  return (async () => {
    for (let i = 0; i < tries; i++) {
      if (await check().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what} did not come up`);
  })();
}

/** A throwaway PostgreSQL cluster on its own port, for tests that freeze or stop a database. */
export interface PostgresCluster {
  readonly port: number;
  url(database: string): string;
  /** SIGSTOP the postmaster and every backend: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Immediate shutdown: the server is gone, connections are reset. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-faults-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const [initdb, initArgs] = pgCommand('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const [postgres, args] = pgCommand('postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=20']);
  let child: ChildProcess | undefined = spawn(postgres, args, { stdio: 'ignore' });
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  await waitFor(async () => {
    const client = new pg.Client({ connectionString: url('postgres') });
    client.on('error', () => undefined);
    await client.connect();
    await client.end();
    return true;
  }, 'the test PostgreSQL cluster');
  const postmasterPid = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const family = (): number[] => {
    const root = postmasterPid();
    const children = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === root;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [root, ...children];
  };
  let frozen: number[] = [];
  const cluster: PostgresCluster = {
    port,
    url,
    freeze() {
      frozen = family();
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // already gone
        }
      }
      frozen = [];
    },
    async stop() {
      cluster.thaw();
      const [pgCtl, ctlArgs] = pgCommand('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      spawnSync(pgCtl, ctlArgs);
      child = undefined;
    },
    async destroy() {
      if (child) await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** A redis-server on its own port that a test can kill and start again on the same port. */
export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = new Socket();
          socket.once('error', () => resolve(false));
          socket.connect(port, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          });
        }),
      'the test redis-server',
    );
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
}
