import pg from 'pg';

/**
 * Test databases on real servers are dropped here, once every test file has
 * finished, rather than by each file: dropping a database WITH (FORCE) while
 * a pool of that file is still closing its sockets made the terminated
 * connection surface as an uncaught error in an unrelated test.
 */
async function dropTestDatabases(): Promise<void> {
  const servers = new Set([process.env.TEST_STOCK_DATABASE_URL, process.env.TEST_USER_DATABASE_URL].filter(Boolean) as string[]);
  for (const url of servers) {
    const admin = new pg.Client({ connectionString: url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'mg\\_test\\_%'`);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

export async function setup(): Promise<void> {
  await dropTestDatabases();
}

export async function teardown(): Promise<void> {
  await dropTestDatabases();
}
