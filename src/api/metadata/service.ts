import { instanceUuidByFixedIp } from '../../db/api/instance_network';
import { InstanceNotFound } from '../../exception';
import { Logger } from '../../lib/log';
import { TtlCache } from './cache';
import { ImdsTokens, TOKEN_HEADER, TOKEN_PATH, TTL_HEADER } from './imds_token';
import { InstanceMetadata, loadInstanceMetadata, MetadataSettings } from './instance_data';
import { Answer, TEXT } from './openstack_tree';
import { handlePassword } from './password';
import { ec2VersionsText, lookup, normalizePath } from './paths';
import { HeaderLists, identifyRequester, MetadataHttpError, RequesterSettings } from './requester';
import { InvalidMetadataPath } from './versions';

export interface MetadataServiceOptions {
  settings: MetadataSettings;
  requester: RequesterSettings;
  /** `[api] metadata_cache_expiration`, seconds (0: no cache). */
  cacheExpirationS: number;
  log: Logger;
  /** The clock (tests move it). */
  now?: () => number;
  /** Finds the instance owning a fixed IP (default: instanceUuidByFixedIp). */
  byAddress?: (address: string) => Promise<string | null>;
}

/** One metadata request as the HTTP layer hands it over. */
export interface MetadataRequest {
  method: string;
  /** The raw path, query string removed. */
  path: string;
  headers: HeaderLists;
  socketAddress: string;
  /** The body (POST password), or null when it was longer than the password limit. */
  body: Buffer | null;
}

export interface MetadataResponse { status: number; body: string | Buffer; contentType: string; headers?: Record<string, string> }

/**
 * The metadata service without its HTTP server: finds the requesting instance, caches what it shows
 * per instance, and answers EC2 and OpenStack paths, the IMDSv2 token and the password.
 */
export class MetadataService {
  private readonly now: () => number;
  private readonly byAddress: (address: string) => Promise<string | null>;
  private readonly instances: TtlCache<InstanceMetadata>;
  readonly tokens: ImdsTokens;

  constructor(private readonly o: MetadataServiceOptions) {
    this.now = o.now ?? Date.now;
    this.byAddress = o.byAddress ?? instanceUuidByFixedIp;
    this.instances = new TtlCache(o.cacheExpirationS * 1000, this.now);
    this.tokens = new ImdsTokens(this.now);
  }

  /** What the instance `uuid` is shown as, from the cache when fresh; null when it does not exist. */
  async instanceMetadata(uuid: string): Promise<InstanceMetadata | null> {
    try {
      return await this.instances.getOrMake(uuid, () => loadInstanceMetadata(uuid, this.o.settings, this.o.log));
    } catch (e) {
      if (e instanceof InstanceNotFound) return null;
      throw e;
    }
  }

  /** Forgets the cached view of an instance (after the guest stored its password). */
  forget(uuid: string): void {
    this.instances.delete(uuid);
  }

  async handle(req: MetadataRequest): Promise<MetadataResponse> {
    const path = normalizePath(req.path);
    if (path === '/') return { status: 200, body: ec2VersionsText(), contentType: TEXT };
    // The address is looked up on every request (only instances are cached): an address that moved to
    // another instance must never be answered with the first one's metadata.
    const who = await identifyRequester(req.headers, req.socketAddress, this.o.requester, this.byAddress, this.o.log);
    const md = await this.instanceMetadata(who.instanceUuid);
    if (!md) {
      this.o.log.error(`Failed to get metadata for instance id: ${who.instanceUuid}`);
      throw new MetadataHttpError(404, 'The resource could not be found.');
    }
    if (who.tenantId !== null && md.instance.project_id !== who.tenantId) {
      this.o.log.warn(`Tenant_id ${who.tenantId} does not match tenant_id of instance ${who.instanceUuid}.`);
      throw new MetadataHttpError(404, 'The resource could not be found.');
    }
    if (req.method === 'PUT' && path === TOKEN_PATH) {
      const { token, ttl } = this.tokens.issue(req.headers[TTL_HEADER]?.[0], md.uuid);
      return { status: 200, body: token, contentType: TEXT, headers: { [TTL_HEADER]: String(ttl) } };
    }
    const token = req.headers[TOKEN_HEADER]?.[0];
    if (token !== undefined && !this.tokens.valid(token, md.uuid)) {
      throw new MetadataHttpError(401, 'The session token has expired or was not issued to this instance: PUT /latest/api/token for a new one.');
    }
    let answer: Answer;
    try {
      answer = await lookup(md, path, who.address, new Date(this.now()));
    } catch (e) {
      if (e instanceof InvalidMetadataPath) throw new MetadataHttpError(404, 'The resource could not be found.');
      throw e;
    }
    if (answer.kind === 'data') return { status: 200, body: answer.body, contentType: answer.contentType };
    const result = await handlePassword(md, { method: req.method, body: req.body });
    if (result.stored) this.forget(md.uuid);
    return { status: 200, body: result.body, contentType: TEXT };
  }
}
