import { ComputeCaller, seg } from './caller';

/** A server group: `policies`/`metadata` before 2.64, `policy`/`rules` since; owner from 2.13. */
export interface ServerGroup {
  id: string;
  name: string;
  members: string[];
  policies?: string[];
  metadata?: Record<string, string>;
  policy?: string;
  rules?: Record<string, number>;
  project_id?: string;
  user_id?: string;
}

/** `/os-server-groups`. */
export class ServerGroupsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(opts: { allProjects?: boolean; limit?: number; offset?: number } = {}): Promise<ServerGroup[]> {
    const query = { all_projects: opts.allProjects ? 'True' : undefined, limit: opts.limit, offset: opts.offset };
    return (await this.c.call<{ server_groups: ServerGroup[] }>('GET', '/os-server-groups', { query })).body.server_groups;
  }

  async get(id: string): Promise<ServerGroup> {
    return (await this.c.call<{ server_group: ServerGroup }>('GET', `/os-server-groups/${seg(id)}`)).body.server_group;
  }

  /** Sends `policy` and `rules` from 2.64, a one-item `policies` list before. */
  async create(name: string, policy: string, rules: Record<string, number> = {}): Promise<ServerGroup> {
    const server_group = this.c.supports('2.64')
      ? { name, policy, ...(Object.keys(rules).length ? { rules } : {}) }
      : { name, policies: [policy] };
    return (await this.c.call<{ server_group: ServerGroup }>('POST', '/os-server-groups', { body: { server_group } })).body.server_group;
  }

  async delete(id: string): Promise<void> {
    await this.c.call('DELETE', `/os-server-groups/${seg(id)}`);
  }
}
