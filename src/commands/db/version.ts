import { ConfigCommand } from '../../cli/config_command';
import { Database } from '../../db/database';

export default class DbVersion extends ConfigCommand {
  static summary = 'Print the current database schema version and the pending migrations.';
  static enableJsonFlag = true;

  async run(): Promise<{ database: string; version: string | null; pending: string[] }> {
    const { flags } = await this.parse(DbVersion);
    try {
      const c = this.loadConf(flags).conf;
      const db = await Database.open(c.database.connection, { retries: 0 });
      try {
        const { current, pending } = await db.version();
        if (!this.jsonEnabled()) this.log(`${current ?? 'none'}${pending.length ? ` (${pending.length} pending: run nova db sync)` : ''}`);
        return { database: db.display, version: current, pending };
      } finally { await db.close(); }
    } catch (e) { this.fail(e); }
  }
}
