import { Command, Flags, Interfaces } from '@oclif/core';
import { AuthOptions, createAuthenticator } from '../client/auth';
import { ComputeClient } from '../client/compute/client';
import { ApiError, ClientError, CommandError } from '../client/errors';
import { HttpTransport } from '../client/http';
import { ImageFinder } from '../client/images';
import { ApiSession } from '../client/session';
import { formatDict, formatList, ListOptions } from './table';

/** The first non-empty environment variable of `names`. */
function env(...names: string[]): string | undefined {
  for (const n of names) if (process.env[n]) return process.env[n];
  return undefined;
}

const AUTH = 'AUTHENTICATION';

/**
 * Base of the client commands (`nova service list`, `nova boot` ...): python-novaclient's `--os-*`
 * options with their `OS_*` environment defaults, `--json` (each command returns its typed result),
 * tables like novaclient's, and novaclient's one-line errors (`ERROR (NotFound): ... (HTTP 404)`).
 */
export abstract class ClientCommand extends Command {
  static enableJsonFlag = true;

  static baseFlags = {
    'os-auth-url': Flags.string({ env: 'OS_AUTH_URL', helpGroup: AUTH, description: 'Identity (Keystone v3) URL.' }),
    'os-username': Flags.string({ env: 'OS_USERNAME', helpGroup: AUTH, description: 'User name.' }),
    'os-user-id': Flags.string({ env: 'OS_USER_ID', helpGroup: AUTH, description: 'User ID (instead of a name).' }),
    'os-password': Flags.string({ env: 'OS_PASSWORD', helpGroup: AUTH, description: 'Password.' }),
    'os-project-name': Flags.string({ env: 'OS_PROJECT_NAME', helpGroup: AUTH, aliases: ['os-tenant-name'], description: 'Project to scope to, by name (env OS_PROJECT_NAME or OS_TENANT_NAME).' }),
    'os-project-id': Flags.string({ env: 'OS_PROJECT_ID', helpGroup: AUTH, aliases: ['os-tenant-id'], description: 'Project to scope to, by ID (env OS_PROJECT_ID or OS_TENANT_ID).' }),
    'os-user-domain-name': Flags.string({ env: 'OS_USER_DOMAIN_NAME', helpGroup: AUTH, description: "Domain of the user (default: the domain with ID 'default')." }),
    'os-user-domain-id': Flags.string({ env: 'OS_USER_DOMAIN_ID', helpGroup: AUTH, description: 'Domain of the user, by ID.' }),
    'os-project-domain-name': Flags.string({ env: 'OS_PROJECT_DOMAIN_NAME', helpGroup: AUTH, description: "Domain of the project (default: the domain with ID 'default')." }),
    'os-project-domain-id': Flags.string({ env: 'OS_PROJECT_DOMAIN_ID', helpGroup: AUTH, description: 'Domain of the project, by ID.' }),
    'os-region-name': Flags.string({ env: 'OS_REGION_NAME', helpGroup: AUTH, description: 'Region of the catalog endpoints to use.' }),
    'os-interface': Flags.string({ env: 'OS_INTERFACE', helpGroup: AUTH, aliases: ['os-endpoint-type'], description: 'Catalog interface: public (default), internal or admin (env OS_INTERFACE or OS_ENDPOINT_TYPE).' }),
    'os-token': Flags.string({ env: 'OS_TOKEN', helpGroup: AUTH, description: 'A token to use instead of a password; with --os-endpoint-override no identity service is asked.' }),
    'os-endpoint-override': Flags.string({
      env: 'OS_ENDPOINT_OVERRIDE', helpGroup: AUTH, aliases: ['bypass-url', 'os-compute-url'],
      description: 'Compute API URL to use instead of the catalog (env OS_ENDPOINT_OVERRIDE, NOVACLIENT_ENDPOINT_OVERRIDE, NOVACLIENT_BYPASS_URL or OS_COMPUTE_URL).',
    }),
    'os-compute-api-version': Flags.string({ env: 'OS_COMPUTE_API_VERSION', helpGroup: AUTH, description: 'Microversion X.Y, or "latest" (default: the highest both the server and this client support).' }),
    insecure: Flags.boolean({ env: 'OS_INSECURE', helpGroup: AUTH, description: 'Accept any TLS certificate.' }),
    debug: Flags.boolean({ helpGroup: AUTH, description: 'Print each HTTP request and answer to stderr.' }),
  };

  private imageFinder?: ImageFinder;

  /** Authenticates as the flags and environment say and negotiates the microversion. */
  protected async connect(flags: ClientFlags): Promise<ComputeClient> {
    const opts: AuthOptions = {
      authUrl: flags['os-auth-url'],
      username: flags['os-username'],
      userId: flags['os-user-id'],
      password: flags['os-password'],
      projectName: flags['os-project-name'] ?? env('OS_TENANT_NAME'),
      projectId: flags['os-project-id'] ?? env('OS_TENANT_ID'),
      userDomainName: flags['os-user-domain-name'],
      userDomainId: flags['os-user-domain-id'],
      projectDomainName: flags['os-project-domain-name'],
      projectDomainId: flags['os-project-domain-id'],
      regionName: flags['os-region-name'],
      interface: flags['os-interface'] ?? env('OS_ENDPOINT_TYPE', 'NOVA_ENDPOINT_TYPE') ?? 'public',
      token: flags['os-token'],
      endpointOverride: flags['os-endpoint-override'] ?? env('NOVACLIENT_ENDPOINT_OVERRIDE', 'NOVACLIENT_BYPASS_URL', 'OS_COMPUTE_URL'),
    };
    const http = new HttpTransport({ insecure: flags.insecure, debug: flags.debug ? (l) => process.stderr.write(`${l}\n`) : undefined });
    const session = new ApiSession(createAuthenticator(opts, http), http);
    return ComputeClient.connect(session, flags['os-compute-api-version']);
  }

  /** Image lookups by name or ID (Image service, or the compute proxy without a catalog). */
  protected images(nova: ComputeClient): ImageFinder {
    this.imageFinder ??= new ImageFinder(nova);
    return this.imageFinder;
  }

  /** The project the session is scoped to (for commands whose tenant defaults to "mine"). */
  protected async currentProject(nova: ComputeClient): Promise<string> {
    const state = await nova.session.authState();
    if (!state.projectId) {
      throw new CommandError('The project of this session is unknown (a bare --os-token): pass --tenant, or --os-project-id.');
    }
    return state.projectId;
  }

  protected printList<T extends object>(rows: T[], columns: string[], opts?: ListOptions<T>): void {
    this.log(formatList(rows, columns, opts));
  }

  protected printDict(d: Record<string, unknown>, opts?: { wrap?: number }): void {
    this.log(formatDict(d, opts));
  }

  /** Output that is not a table (progress dots), kept off --json output. */
  protected write(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text);
  }

  /**
   * novaclient's do_action_on_many: runs `action` for each item, printing the success line or the
   * error of each; fails with `failure` after all have run when any failed.
   */
  protected async onMany<R>(items: string[], action: (item: string) => Promise<R>, success: (item: string, r: R) => string, failure: string): Promise<Array<ManyResult<R>>> {
    const results: Array<ManyResult<R>> = [];
    for (const item of items) {
      try {
        const r = await action(item);
        this.log(success(item, r));
        results.push({ item, ok: true, result: r });
      } catch (e) {
        if (!(e instanceof ClientError)) throw e;
        this.log(e.message);
        results.push({ item, ok: false, error: e.message });
      }
    }
    if (results.some((r) => !r.ok)) {
      if (!this.jsonEnabled()) throw new CommandError(failure);
      process.exitCode = 1;
    }
    return results;
  }

  /** Client errors print as novaclient prints them and exit 1; anything else is a bug and keeps its stack. */
  async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (!(err instanceof ClientError)) return super.catch(err);
    if (this.jsonEnabled()) {
      process.exitCode = 1;
      const api = err instanceof ApiError ? { message: err.apiMessage, code: err.status, request_id: err.requestId ?? null, details: err.details ?? null } : {};
      this.logJson({ error: { type: err.name, message: err.message, ...api } });
      return undefined;
    }
    this.logToStderr(`ERROR (${err.name}): ${err.message}`);
    return this.exit(1);
  }
}

export type ClientFlags = Interfaces.InferredFlags<typeof ClientCommand.baseFlags>;

export interface ManyResult<R> {
  item: string;
  ok: boolean;
  result?: R;
  error?: string;
}
