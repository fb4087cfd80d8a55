import { ApiError } from '../errors';
import { ComputeCaller } from './caller';

/** A Compute API version document (`GET /` lists them, `GET /v2.1` shows one). */
export interface VersionDoc {
  id: string;
  status: string;
  version: string;
  min_version: string;
  updated: string;
  links?: Array<{ rel: string; href: string; type?: string }>;
}

/**
 * The version documents. They need no token; their URLs come from the compute endpoint:
 * `http://h:8774/v2.1[/{project_id}]` -> `http://h:8774/v2.1` and the root `http://h:8774/`.
 */
export class VersionsApi {
  constructor(private readonly c: ComputeCaller) {}

  /** The document of the version the endpoint serves (undefined when it publishes none). */
  async current(): Promise<VersionDoc | undefined> {
    const endpoint = await this.endpoint();
    const m = /^(.*\/v2(?:\.\d+)?)(?:\/.*)?$/.exec(endpoint);
    try {
      if (m) return (await this.session().anonymous<{ version?: VersionDoc }>(m[1])).body?.version;
      const list = await this.list();
      return list.find((v) => v.status === 'CURRENT') ?? list[0];
    } catch (e) {
      // Some deployments guard the version document; then behave as a server without microversions.
      if (e instanceof ApiError && e.status === 401) return undefined;
      throw e;
    }
  }

  /** Every version the server offers, from the root document. */
  async list(): Promise<VersionDoc[]> {
    const endpoint = await this.endpoint();
    const root = endpoint.replace(/\/v2(?:\.\d+)?(?:\/.*)?$/, '') + '/';
    const res = await this.session().anonymous<{ versions?: VersionDoc[] | { values: VersionDoc[] } }>(root);
    const v = res.body?.versions;
    return Array.isArray(v) ? v : v?.values ?? [];
  }

  private session() { return this.c.session; }
  private endpoint() { return this.c.session.endpoint('compute'); }
}
