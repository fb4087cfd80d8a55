import * as fs from 'node:fs';
import * as path from 'node:path';
import { Options, Sequelize, Transaction } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { initServiceModels } from './models/service';
import { initInstanceModels } from './models/instance';
import { initFlavorModels } from './models/flavor';
import { initQuotaModels } from './models/quota';
import { modelInitializers } from './registry';
import { ensureDefaultFlavors } from './api/flavors';

export class DatabaseError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'DatabaseError';
  }
}

/** Maps Nova's `[database] connection` URLs (SQLAlchemy style) to sequelize options. */
export function sequelizeOptions(url: string, poolMax = 5): { uri?: string; options: Options; display: string } {
  const m = /^([a-z0-9]+)(?:\+[a-z0-9]+)?:\/\/(.*)$/i.exec(url);
  if (!m) throw new DatabaseError(`[database] connection '${url}' is not a URL like sqlite:///path, mysql+pymysql://user:pass@host/db or postgresql://user:pass@host/db`);
  const scheme = m[1].toLowerCase();
  const display = url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:****@');
  const pool = { max: poolMax, min: 0, idle: 10000, acquire: 60000 };
  if (scheme === 'sqlite') {
    // sqlite:///relative, sqlite:////absolute, sqlite:// or sqlite:///:memory: for memory.
    let file = m[2].startsWith('/') ? m[2].slice(1) : m[2];
    if (file === '' || file === ':memory:') file = ':memory:';
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // IMMEDIATE: a transaction takes the write lock when it begins, so under WAL it waits for another
    // writer (busy timeout) instead of failing with SQLITE_BUSY when its read snapshot went stale.
    return { options: { dialect: 'sqlite', storage: file, logging: false, transactionType: Transaction.TYPES.IMMEDIATE, pool: { max: 1, min: 0, idle: 60000, acquire: 60000 } }, display };
  }
  const dialect = scheme === 'mysql' || scheme === 'mariadb' ? 'mysql' : scheme === 'postgresql' || scheme === 'postgres' ? 'postgres' : undefined;
  if (!dialect) throw new DatabaseError(`[database] connection '${display}': unsupported database '${scheme}' (use sqlite, mysql or postgresql)`);
  const rest = m[2].split('?')[0];
  return { uri: `${dialect}://${rest}`, options: { dialect, logging: false, pool, dialectOptions: dialect === 'mysql' ? { charset: 'utf8mb4' } : {} }, display };
}

/**
 * Sequelize opens a new SQLite handle for every transaction; without a busy timeout of its own such
 * a handle fails at once with SQLITE_BUSY when another handle is writing. Give each new handle one.
 */
function withBusyTimeoutOnEveryConnection(sequelize: Sequelize): void {
  type Handle = { configure(option: 'busyTimeout', ms: number): void; exec(sql: string): void; novaBusy?: boolean };
  const cm = (sequelize as unknown as { connectionManager: { getConnection(o?: object): Promise<Handle> } }).connectionManager;
  const open = cm.getConnection.bind(cm);
  cm.getConnection = async (o?: object) => {
    const handle = await open(o);
    if (!handle.novaBusy) {
      handle.configure('busyTimeout', 30000);
      handle.exec('PRAGMA synchronous=NORMAL');
      handle.novaBusy = true;
    }
    return handle;
  };
}

export interface OpenOptions {
  poolMax?: number;
  retries?: number;
  retryIntervalMs?: number;
  logSql?: boolean;
}

/** One database connection pool with every model bound to it. */
export class Database {
  private constructor(readonly sequelize: Sequelize, readonly display: string) {}

  static async open(url: string, opts: OpenOptions = {}): Promise<Database> {
    const { uri, options, display } = sequelizeOptions(url, opts.poolMax);
    if (opts.logSql) options.logging = (sql: string) => process.stderr.write(sql + '\n');
    const sequelize = uri ? new Sequelize(uri, options) : new Sequelize(options);
    const retries = opts.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await sequelize.authenticate();
        break;
      } catch (e) {
        if (retries >= 0 && attempt >= retries) {
          await sequelize.close().catch(() => undefined);
          const why = (e as Error).message || String(e);
          throw new DatabaseError(`cannot connect to database ${display}: ${why} (check [database] connection and that the server is running)`, e);
        }
        await new Promise((r) => setTimeout(r, opts.retryIntervalMs ?? 1000));
      }
    }
    if (options.dialect === 'sqlite') {
      // WAL lets readers run during a write; the busy timeout makes writers wait instead of failing.
      await sequelize.query('PRAGMA journal_mode=WAL');
      await sequelize.query('PRAGMA busy_timeout=30000');
      // With WAL, NORMAL syncs at checkpoints rather than on every commit: still consistent after a
      // crash (a power loss may drop the last commits), and many times faster for small writes.
      await sequelize.query('PRAGMA synchronous=NORMAL');
      withBusyTimeoutOnEveryConnection(sequelize);
    }
    initServiceModels(sequelize);
    initInstanceModels(sequelize);
    initFlavorModels(sequelize);
    initQuotaModels(sequelize);
    for (const init of modelInitializers) init(sequelize);
    return new Database(sequelize, display);
  }

  get dialect(): string {
    return this.sequelize.getDialect();
  }

  private migrator(): Umzug<ReturnType<Sequelize['getQueryInterface']>> {
    const dir = path.join(__dirname, 'migrations');
    const files = fs.readdirSync(dir).filter((f) => /^\d+_.*\.js$/.test(f)).sort();
    return new Umzug({
      migrations: files.map((f) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(dir, f));
        return { name: f.replace(/\.js$/, ''), up: mod.up, down: mod.down };
      }),
      context: this.sequelize.getQueryInterface(),
      storage: new SequelizeStorage({ sequelize: this.sequelize, tableName: 'schema_migrations' }),
      logger: undefined,
    });
  }

  /** Applies every pending migration; returns the names applied. */
  async sync(): Promise<string[]> {
    const done = (await this.migrator().up()).map((m) => m.name);
    // A database created by this sync gets Nova's default flavors, once (deleting them later sticks).
    if (done.includes('001_initial')) await ensureDefaultFlavors();
    return done;
  }

  async version(): Promise<{ current: string | null; pending: string[] }> {
    const m = this.migrator();
    const executed = await m.executed();
    const pending = await m.pending();
    return { current: executed.length ? executed[executed.length - 1].name : null, pending: pending.map((p) => p.name) };
  }

  /** Drops everything (tests only). */
  async reset(): Promise<void> {
    await this.migrator().down({ to: 0 });
  }

  async close(): Promise<void> {
    await this.sequelize.close();
  }
}
