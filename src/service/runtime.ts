import * as path from 'node:path';
import { AuthProvider, NoAuthProvider } from '../api/auth';
import { CertMethods, certRpcApi } from '../cert/rpcapi';
import { PolicyEnforcer } from '../api/policy';
import { ComputeAPIClient } from '../compute/rpcapi';
import { ConductorAPI, conductorRpcApi } from '../conductor/rpcapi';
import { LoadedConf } from '../conf/loader';
import { NovaConf } from '../conf/schema';
import { ConsoleAuthMethods, consoleAuthRpcApi } from '../consoleauth/rpcapi';
import { adminContext, RequestContext } from '../context';
import { Database } from '../db/database';
import { serviceHeartbeat, serviceRegister } from '../db/api/services';
import { ImageService } from '../image/api';
import { Logger } from '../lib/log';
import { getTransport } from '../rpc/transport';
import { Transport } from '../rpc/types';
import { SchedulerMethods, schedulerRpcApi } from '../scheduler/rpcapi';
import { ServiceRecord, ServiceRegistry } from './service';

/** Endpoints a daemon serves, by service type, once it listens (for the catalog and `npm start`). */
export type Endpoints = Record<string, string>;

/**
 * What the daemons of one process share: configuration, logger, one transport, one database pool,
 * the typed RPC clients, and the endpoints served. Everything is made on first use, so a daemon that
 * never touches the database (nova-compute) never opens it.
 */
export class Runtime {
  private transportP?: Promise<Transport>;
  private dbP?: Promise<Database>;
  private closers: Array<() => Promise<void>> = [];
  readonly endpoints: Endpoints = {};
  private endpointListeners: Array<(type: string, url: string) => Promise<void>> = [];
  private memo = new Map<string, unknown>();
  /** Set by `daemon all`: apply pending migrations instead of refusing to start. */
  autoSync = false;

  constructor(readonly loaded: LoadedConf, readonly log: Logger) {}

  get conf(): NovaConf { return this.loaded.conf; }
  get host(): string { return this.conf.DEFAULT.host; }
  get rpcTimeoutMs(): number { return this.conf.DEFAULT.rpc_response_timeout * 1000; }
  get statePath(): string { return path.resolve(this.conf.DEFAULT.state_path); }

  /** Memoizes one shared object per process under `key`. */
  shared<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  transport(): Promise<Transport> {
    this.transportP ??= (async () => {
      const t = getTransport(this.conf, this.log.child('rpc'));
      await t.start();
      this.closers.push(() => t.stop());
      return t;
    })();
    return this.transportP;
  }

  database(): Promise<Database> {
    this.dbP ??= (async () => {
      const d = this.conf.database;
      const db = await Database.open(d.connection, {
        poolMax: d.max_pool_size, retries: d.max_retries, retryIntervalMs: d.retry_interval * 1000, logSql: d.connection_debug >= 100,
      });
      this.closers.push(() => db.close());
      const { pending } = await db.version();
      if (pending.length) {
        if (!this.autoSync) throw new Error(`database ${db.display} is not at the latest schema (${pending.length} migration(s) pending): run 'nova db sync'`);
        await db.sync();
      }
      return db;
    })();
    return this.dbP;
  }

  async conductor(): Promise<ConductorAPI> {
    const t = await this.transport();
    return this.shared('conductor-api', () => conductorRpcApi(t, this.rpcTimeoutMs));
  }

  async scheduler(): Promise<SchedulerMethods> {
    const t = await this.transport();
    return this.shared('scheduler-api', () => schedulerRpcApi(t, this.rpcTimeoutMs));
  }

  async cert(): Promise<CertMethods> {
    const t = await this.transport();
    return this.shared('cert-api', () => certRpcApi(t, this.rpcTimeoutMs));
  }

  async consoleauth(): Promise<ConsoleAuthMethods> {
    const t = await this.transport();
    return this.shared('consoleauth-api', () => consoleAuthRpcApi(t, this.rpcTimeoutMs));
  }

  async compute(): Promise<ComputeAPIClient> {
    const t = await this.transport();
    return this.shared('compute-api', () => new ComputeAPIClient(t, this.rpcTimeoutMs));
  }

  /** Registers and heartbeats straight in the database (services that have it). */
  dbRegistry(): ServiceRegistry {
    return {
      register: async (_ctx: RequestContext, s) => { await this.database(); return serviceRegister(s) as Promise<ServiceRecord>; },
      heartbeat: async (_ctx, id) => serviceHeartbeat(id),
    };
  }

  /** Registers and heartbeats through the conductor (nova-compute has no database access). */
  async conductorRegistry(): Promise<ServiceRegistry> {
    const c = await this.conductor();
    return {
      register: async (ctx, s) => c.service_register(ctx, s),
      heartbeat: async (ctx, id) => c.service_heartbeat(ctx, { service_id: id }),
    };
  }

  policy(): PolicyEnforcer {
    return this.shared('policy', () => {
      const file = this.conf.oslo_policy.policy_file;
      const dirs = [...this.loaded.files.map((f) => path.dirname(f)), this.statePath, process.cwd()];
      return new PolicyEnforcer(path.isAbsolute(file) ? [file] : dirs.map((d) => path.join(d, file)));
    });
  }

  /** Validates tokens: noauth2 for tests, else Keystone (built-in or real, see src/identity/provider). */
  async authProvider(): Promise<AuthProvider> {
    if (this.conf.api.auth_strategy === 'noauth2' || this.conf.DEFAULT.auth_strategy === 'noauth2') return new NoAuthProvider();
    return this.shared('auth', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createAuthProvider } = require('../identity/provider');
      return createAuthProvider(this);
    }) as Promise<AuthProvider>;
  }

  /**
   * A token for the services themselves (compute fetching images with no user token at hand, the API
   * validating tokens against a real Keystone): noauth2's admin, else the identity provider's service user.
   */
  async serviceToken(): Promise<string> {
    if (this.conf.api.auth_strategy === 'noauth2' || this.conf.DEFAULT.auth_strategy === 'noauth2') return 'admin:admin';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { serviceToken } = require('../identity/provider');
    return serviceToken(this) as Promise<string>;
  }

  /** The Image service client: the built-in one or a real Glance (see src/image/client). */
  async imageService(): Promise<ImageService> {
    return this.shared('images', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createImageService } = require('../image/client');
      return createImageService(this);
    }) as Promise<ImageService>;
  }

  /**
   * Announces an endpoint this process serves (`compute`, `image`, `identity`, `metadata`, `ec2`, ...):
   * shown by `nova daemon`, and put in the built-in Identity's catalog by its listener.
   */
  async publishEndpoint(type: string, url: string): Promise<void> {
    this.endpoints[type] = url;
    for (const l of this.endpointListeners) await l(type, url);
  }

  /** Called for every endpoint published from now on, and at once for those already published. */
  async onEndpoint(listener: (type: string, url: string) => Promise<void>): Promise<void> {
    this.endpointListeners.push(listener);
    for (const [type, url] of Object.entries(this.endpoints)) await listener(type, url);
  }

  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const c of this.closers.splice(0).reverse()) await c().catch((e) => this.log.warn(`closing: ${e.message}`));
  }

  adminContext(): RequestContext { return adminContext(); }
}
