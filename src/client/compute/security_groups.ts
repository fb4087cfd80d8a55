import { ComputeCaller, seg } from './caller';

export interface SecurityGroupRule {
  id: number | string;
  parent_group_id: number | string;
  ip_protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  ip_range: { cidr?: string };
  group: { name?: string; tenant_id?: string };
}

export interface SecurityGroup {
  id: number | string;
  name: string;
  description: string;
  tenant_id: string;
  rules: SecurityGroupRule[];
}

export interface RuleCreate {
  ip_protocol?: string;
  from_port?: number | string;
  to_port?: number | string;
  cidr?: string;
  group_id?: number | string;
}

/** `/os-security-groups`, `/os-security-group-rules` (up to 2.35) and a server's groups (any version). */
export class SecurityGroupsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(opts: { allTenants?: boolean } = {}): Promise<SecurityGroup[]> {
    const query = opts.allTenants ? { all_tenants: 1 } : undefined;
    return (await this.c.call<{ security_groups: SecurityGroup[] }>('GET', '/os-security-groups', { query })).body.security_groups;
  }

  async get(id: number | string): Promise<SecurityGroup> {
    return (await this.c.call<{ security_group: SecurityGroup }>('GET', `/os-security-groups/${seg(id)}`)).body.security_group;
  }

  async create(name: string, description: string): Promise<SecurityGroup> {
    return (await this.c.call<{ security_group: SecurityGroup }>('POST', '/os-security-groups', { body: { security_group: { name, description } } })).body.security_group;
  }

  async update(id: number | string, name: string, description: string): Promise<SecurityGroup> {
    return (await this.c.call<{ security_group: SecurityGroup }>('PUT', `/os-security-groups/${seg(id)}`, { body: { security_group: { name, description } } })).body.security_group;
  }

  async delete(id: number | string): Promise<void> {
    await this.c.call('DELETE', `/os-security-groups/${seg(id)}`);
  }

  async createRule(parentGroupId: number | string, rule: RuleCreate): Promise<SecurityGroupRule> {
    const body = { security_group_rule: { parent_group_id: parentGroupId, ...rule } };
    return (await this.c.call<{ security_group_rule: SecurityGroupRule }>('POST', '/os-security-group-rules', { body })).body.security_group_rule;
  }

  async deleteRule(id: number | string): Promise<void> {
    await this.c.call('DELETE', `/os-security-group-rules/${seg(id)}`);
  }

  async listForServer(serverId: string): Promise<SecurityGroup[]> {
    return (await this.c.call<{ security_groups: SecurityGroup[] }>('GET', `/servers/${seg(serverId)}/os-security-groups`)).body.security_groups;
  }

  async addToServer(serverId: string, name: string): Promise<void> {
    await this.c.call('POST', `/servers/${seg(serverId)}/action`, { body: { addSecurityGroup: { name } } });
  }

  async removeFromServer(serverId: string, name: string): Promise<void> {
    await this.c.call('POST', `/servers/${seg(serverId)}/action`, { body: { removeSecurityGroup: { name } } });
  }
}
