import pg from 'pg';

/**
 * A barrier for race tests on a real PostgreSQL database: holds a row lock
 * (SELECT ... FOR UPDATE in an open transaction) while `fire` starts the
 * racing requests, waits until `waiters` backends are blocked on it, then
 * commits so that they all go at once. Plain SELECTs are not blocked, so every
 * racer has read the row before any of them can write it.
 *
 * Waiting is a barrier, not a timing assumption: it polls pg_locks until the
 * racers are there, or until one of them settled without blocking (then the
 * barrier opens at once and the test's assertions judge the outcome).
 */
export async function raceOnLockedRow<T>(options: {
  url: string;
  /** A statement selecting the row(s) to lock, e.g. `SELECT 1 FROM t WHERE id = $1`. */
  select: string;
  params: unknown[];
  waiters: number;
  fire: () => Promise<T>[];
}): Promise<T[]> {
  const holder = new pg.Client({ connectionString: options.url });
  const watcher = new pg.Client({ connectionString: options.url });
  await Promise.all([holder.connect(), watcher.connect()]);
  try {
    await holder.query('BEGIN');
    const locked = await holder.query(`${options.select} FOR UPDATE`, options.params);
    if (locked.rowCount === 0) throw new Error('raceOnLockedRow: the select matched no row to lock');
    const racers = options.fire();
    let settled = 0;
    const all = Promise.allSettled(racers.map((racer) => racer.finally(() => settled++)));
    for (;;) {
      const { rows } = await watcher.query<{ n: number }>(
        `SELECT count(DISTINCT l.pid)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (rows[0]!.n >= options.waiters || settled > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await holder.query('COMMIT');
    const results = await all;
    return results.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
  } finally {
    await Promise.all([holder.end(), watcher.end()]);
  }
}
