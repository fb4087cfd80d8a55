import { Sequelize } from 'sequelize';

/** A PostgreSQL URL whose role may create databases (setup-host.sh makes `nova` a superuser). */
export const PG_ADMIN_URL = process.env.NOVA_TEST_PG_ADMIN_URL ?? 'postgresql://nova:nova@127.0.0.1/nova_multihost';

/** Creates an empty PostgreSQL database `name` (dropped first if left over) and returns its URL and a drop. */
export async function scratchPostgres(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = async (sql: string) => {
    const c = new Sequelize(PG_ADMIN_URL, { logging: false });
    try { await c.query(sql); } finally { await c.close(); }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  return { url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
