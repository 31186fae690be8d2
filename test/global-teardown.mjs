import pg from 'pg';

export default async function globalTeardown() {
  const template = process.env.IPS_TEST_TEMPLATE;
  // The embedded server goes with its folder; a given server (TEST_DATABASE_URL) keeps nothing of the run.
  if (template && template !== 'off' && process.env.TEST_DATABASE_URL && !globalThis.__embeddedPostgres) {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`alter database "${template}" is_template false`).catch(() => undefined); // never built
      await client.query(`drop database if exists "${template}"`);
    } finally {
      await client.end();
    }
  }
  await globalThis.__embeddedPostgres?.stop();
}
