import { APIVersion } from '../../api/microversion';
import { CommandError, UnsupportedVersion } from '../errors';
import { HttpMethod, HttpResponse } from '../http';
import { ApiSession, Query } from '../session';
import { AvailabilityZonesApi } from './availability_zones';
import { ComputeCaller } from './caller';
import { CertificatesApi } from './certificates';
import { ConsolesApi, ServerPasswordApi } from './consoles';
import { FloatingIpsApi } from './floating_ips';
import { FixedIpsApi, NetworksApi } from './networks';
import { SecurityGroupsApi } from './security_groups';
import { ServerGroupsApi } from './server_groups';
import { FlavorsApi } from './flavors';
import { HypervisorsApi } from './hypervisors';
import { ImagesProxyApi } from './images';
import { InstanceActionsApi } from './instance_actions';
import { KeypairsApi } from './keypairs';
import { AggregatesApi } from './aggregates';
import { SchedulerApi } from './scheduler';
import { LimitsApi } from './limits';
import { QuotaClassesApi, QuotasApi } from './quotas';
import { ServerActionsApi } from './server_actions';
import { ServerMetadataApi, ServerTagsApi } from './server_meta';
import { ServersApi } from './servers';
import { ServicesApi } from './services';
import { UsageApi } from './usage';
import { VersionDoc, VersionsApi } from './versions';

/** The microversions this client knows how to speak. */
export const CLIENT_MIN_VERSION = new APIVersion(2, 1);
export const CLIENT_MAX_VERSION = new APIVersion(2, 96);
/** "2" / "2.0": the original v2 API, no microversion header. */
const V2_0 = new APIVersion(2, 0);

/**
 * The Compute API client: one object per resource (`nova.servers.list()`), all calling at one
 * negotiated microversion sent as `OpenStack-API-Version: compute X.Y`.
 */
export class ComputeClient implements ComputeCaller {
  readonly services = new ServicesApi(this);
  readonly hypervisors = new HypervisorsApi(this);
  readonly versions = new VersionsApi(this);
  readonly servers = new ServersApi(this);
  readonly serverActions = new ServerActionsApi(this);
  readonly serverMetadata = new ServerMetadataApi(this);
  readonly serverTags = new ServerTagsApi(this);
  readonly instanceActions = new InstanceActionsApi(this);
  readonly flavors = new FlavorsApi(this);
  readonly keypairs = new KeypairsApi(this);
  readonly images = new ImagesProxyApi(this);
  readonly quotas = new QuotasApi(this);
  readonly quotaClasses = new QuotaClassesApi(this);
  readonly limits = new LimitsApi(this);
  readonly usage = new UsageApi(this);
  readonly availabilityZones = new AvailabilityZonesApi(this);
  readonly aggregates = new AggregatesApi(this);
  readonly scheduler = new SchedulerApi(this);
  readonly certificates = new CertificatesApi(this);
  readonly consoles = new ConsolesApi(this);
  readonly serverPassword = new ServerPasswordApi(this);
  readonly serverGroups = new ServerGroupsApi(this);
  /** nova-network proxies: call them on a client capped at 2.35 (see cli/views/network_proxy). */
  readonly networks = new NetworksApi(this);
  readonly fixedIps = new FixedIpsApi(this);
  readonly floatingIps = new FloatingIpsApi(this);
  readonly securityGroups = new SecurityGroupsApi(this);

  /**
   * @param explicitVersion the user asked for this version (--os-compute-api-version), so commands
   *   must not quietly pick another one for a call.
   */
  constructor(readonly session: ApiSession, readonly version: APIVersion, readonly explicitVersion = false) {}

  /**
   * Connects at the requested version, or (unset / "latest") at the highest both sides support, read
   * from the endpoint's version document.
   */
  static async connect(session: ApiSession, requested?: string): Promise<ComputeClient> {
    const want = (requested ?? '').trim().toLowerCase();
    const latest = want === '' || want === 'latest' || /^\d+\.latest$/.test(want);
    if (want === '2' || want === '2.0') return new ComputeClient(session, V2_0, true);
    let asked: APIVersion | undefined;
    if (!latest) {
      asked = parseVersion(requested ?? '');
      if (!asked.within(CLIENT_MIN_VERSION.toString(), CLIENT_MAX_VERSION.toString())) {
        throw new CommandError(`The specified version isn't supported by client. The valid version range is '${CLIENT_MIN_VERSION}' to '${CLIENT_MAX_VERSION}'`);
      }
    }
    const doc = await new VersionsApi(new ComputeClient(session, V2_0)).current();
    const range = serverRange(doc);
    if (asked) {
      if (!range) throw new UnsupportedVersion("Server doesn't support microversions");
      if (!asked.within(range.min.toString(), range.max.toString())) {
        throw new UnsupportedVersion(`The specified version isn't supported by server. The valid version range is '${range.min}' to '${range.max}'`);
      }
      return new ComputeClient(session, asked, true);
    }
    if (!range) return new ComputeClient(session, V2_0);
    if (range.max.lt(CLIENT_MIN_VERSION)) {
      throw new UnsupportedVersion(`Server version is too old. The client valid version range is '${CLIENT_MIN_VERSION}' to '${CLIENT_MAX_VERSION}'. ` +
        `The server valid version range is '${range.min}' to '${range.max}'.`);
    }
    if (range.min.cmp(CLIENT_MAX_VERSION) > 0) {
      throw new UnsupportedVersion(`Server version is too new. The client valid version range is '${CLIENT_MIN_VERSION}' to '${CLIENT_MAX_VERSION}'. ` +
        `The server valid version range is '${range.min}' to '${range.max}'.`);
    }
    return new ComputeClient(session, range.max.cmp(CLIENT_MAX_VERSION) < 0 ? range.max : CLIENT_MAX_VERSION);
  }

  async call<T = unknown>(method: HttpMethod, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.version.cmp(V2_0) > 0) {
      headers['OpenStack-API-Version'] = `compute ${this.version}`;
      headers['X-OpenStack-Nova-API-Version'] = this.version.toString();
    }
    return this.session.request<T>('compute', { method, path, query: opts.query, body: opts.body, headers });
  }

  supports(min: string, max?: string): boolean {
    // No header (2.0) is served as the minimum.
    return (this.version.cmp(V2_0) === 0 ? CLIENT_MIN_VERSION : this.version).within(min, max);
  }

  /** This client at another microversion, same session. */
  at(version: APIVersion | string): ComputeClient {
    return new ComputeClient(this.session, typeof version === 'string' ? APIVersion.parse(version) : version, this.explicitVersion);
  }

  /**
   * For an API that left the Compute API after `max`: the client capped at `max` when the version
   * was negotiated; when the user asked for a later one, the error `why` (novaclient refuses those).
   */
  atMost(max: string, why: string): ComputeClient {
    if (this.version.cmp(max) <= 0) return this;
    if (this.explicitVersion) throw new CommandError(why);
    return this.at(max);
  }

  /** Refuses a command the negotiated version is too old for. */
  requireAtLeast(min: string, what: string): void {
    if (this.version.lt(min)) throw new CommandError(`${what} requires API version ${min} or later (this session uses ${this.version}).`);
  }
}

function parseVersion(text: string): APIVersion {
  try {
    return APIVersion.parse(text);
  } catch {
    throw new CommandError(`Invalid API version '${text}': use X.Y (for example 2.53), "2" or "latest".`);
  }
}

function serverRange(doc: VersionDoc | undefined): { min: APIVersion; max: APIVersion } | undefined {
  if (!doc?.version) return undefined;
  return { min: APIVersion.parse(doc.min_version || '2.1'), max: APIVersion.parse(doc.version) };
}
