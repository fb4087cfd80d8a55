import { ConfigCommand } from '../../cli/config_command';
import { Database } from '../../db/database';

export default class DbSync extends ConfigCommand {
  static summary = 'Create or upgrade the database schema to the latest version.';
  static enableJsonFlag = true;

  async run(): Promise<{ database: string; applied: string[]; version: string | null }> {
    const { flags } = await this.parse(DbSync);
    try {
      const c = this.loadConf(flags).conf;
      const db = await Database.open(c.database.connection, { retries: 0 });
      try {
        const applied = await db.sync();
        const { current } = await db.version();
        if (!this.jsonEnabled()) this.log(applied.length ? `Applied ${applied.length} migration(s) to ${db.display}: now at ${current}` : `${db.display} is up to date (${current})`);
        return { database: db.display, applied, version: current };
      } finally { await db.close(); }
    } catch (e) { this.fail(e); }
  }
}
