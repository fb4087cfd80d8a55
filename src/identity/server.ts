import * as path from 'node:path';
import { FastifyInstance } from 'fastify';
import { listen } from '../lib/http';
import { Logger } from '../lib/log';
import { Runtime } from '../service/runtime';
import { authenticate } from './auth';
import { bootstrap, BootstrapResult, DEFAULT_DOMAIN_NAME } from './bootstrap';
import { registerEndpoint } from './catalog';
import { buildIdentityApp } from './http/app';
import { writeOpenrc } from './openrc';
import { setPasswordHashRounds } from './password';
import { IssuedToken } from './service_token';
import { validateToken, ValidatedToken } from './tokens';

const running = new WeakMap<Runtime, IdentityServer>();

/** The built-in Identity service of this process, if `nova daemon identity` runs in it. */
export function localIdentity(rt: Runtime): IdentityServer | undefined {
  return running.get(rt);
}

/**
 * The built-in Identity service: bootstraps the database, serves the Keystone v3 subset, keeps the
 * catalog in step with the endpoints this process publishes, and writes `<state_path>/openrc`.
 */
export class IdentityServer {
  private app?: FastifyInstance;
  private stopped = false;
  private bootstrapped?: Promise<BootstrapResult>;
  /** `http://<my_ip>:<port>/v3` once listening. */
  url?: string;

  constructor(private rt: Runtime, private log: Logger) {
    running.set(rt, this);
    setPasswordHashRounds(rt.conf.identity.password_hash_rounds);
  }

  private get conf() { return this.rt.conf; }

  async start(): Promise<void> {
    await this.rt.database();
    this.bootstrapped = bootstrap(this.conf, this.rt.statePath, this.log);
    const boot = await this.bootstrapped;
    this.app = buildIdentityApp({ log: this.log, tokenExpiration: this.conf.identity.token_expiration });
    const { listen: host, port } = this.conf.identity;
    const { url } = await listen(this.app, host, port, this.conf.DEFAULT.my_ip).catch((e: Error) => {
      throw new Error(`the Identity service cannot listen on ${host}:${port} (${e.message}): change [identity] listen or port`);
    });
    this.url = `${url}/v3`;
    const region = this.conf.identity.region_id;
    await this.rt.onEndpoint(async (type, endpoint) => {
      if (this.stopped) return;
      await registerEndpoint(type, endpoint, region)
        .catch((e) => this.log.error(`could not put ${type} ${endpoint} in the catalog: ${(e as Error).message}`));
    });
    await this.rt.publishEndpoint('identity', this.url);
    const openrc = path.join(this.rt.statePath, 'openrc');
    writeOpenrc(openrc, {
      authUrl: this.url, username: boot.adminUser.name, password: boot.adminPassword, projectName: boot.adminProject.name,
      userDomainName: DEFAULT_DOMAIN_NAME, projectDomainName: DEFAULT_DOMAIN_NAME, regionName: region,
    });
    this.log.info(`Identity API listening on ${url} (admin credentials in ${openrc})`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    running.delete(this.rt);
    await this.app?.close();
  }

  /** Validates a token in process (no HTTP); throws TokenInvalid. */
  validate(token: string): Promise<ValidatedToken> {
    return validateToken(token);
  }

  /** A token of the nova service user, authenticated with its password as any client would. */
  async issueServiceToken(): Promise<IssuedToken> {
    if (!this.bootstrapped) throw new Error('the built-in Identity service is not started yet: start the identity daemon first');
    const boot = await this.bootstrapped;
    const { text, token } = await authenticate({
      auth: {
        identity: { methods: ['password'], password: { user: { id: boot.serviceUser.id, password: boot.servicePassword } } },
        scope: { project: { id: boot.serviceProject.id } },
      },
    }, { tokenExpiration: this.conf.identity.token_expiration });
    return { token: text, expiresAt: token.row.expires_at };
  }
}
