import { SecurityGroupObj, SecurityGroupRuleObj, securityGroupsGet } from '../../db/api/security_groups';
import { q1 } from '../format';
import { badRequest } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiResponse, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { MAX_PROXY, networkApi } from './networks';

const POLICY = 'os_compute_api:os-security-groups';
const rules: Array<[string, string, string, string]> = [
  ['get', 'rule:project_reader_or_admin', 'GET', '/os-security-groups'],
  ['show', 'rule:project_reader_or_admin', 'GET', '/os-security-groups/{security_group_id}'],
  ['create', 'rule:project_member_or_admin', 'POST', '/os-security-groups'],
  ['update', 'rule:project_member_or_admin', 'PUT', '/os-security-groups/{security_group_id}'],
  ['delete', 'rule:project_member_or_admin', 'DELETE', '/os-security-groups/{security_group_id}'],
  ['rule:create', 'rule:project_member_or_admin', 'POST', '/os-security-group-rules'],
  ['rule:delete', 'rule:project_member_or_admin', 'DELETE', '/os-security-group-rules/{security_group_id}'],
  ['list', 'rule:project_reader_or_admin', 'GET', '/servers/{server_id}/os-security-groups'],
  ['add', 'rule:project_member_or_admin', 'POST', '/servers/{server_id}/action (addSecurityGroup)'],
  ['remove', 'rule:project_member_or_admin', 'POST', '/servers/{server_id}/action (removeSecurityGroup)'],
];
registerPolicies(rules.map(([name, check, method, path]) => ({ name: `${POLICY}:${name}`, check, operations: [{ method, path }] })));

/** Nova's _format_security_group_rule: a CIDR rule shows ip_range, a group rule the source group. */
function ruleView(r: SecurityGroupRuleObj, groups: Map<number, SecurityGroupObj>) {
  const source = r.group_id !== null ? groups.get(r.group_id) : undefined;
  return {
    id: r.id, parent_group_id: r.parent_group_id, ip_protocol: r.protocol, from_port: r.from_port, to_port: r.to_port,
    group: source ? { name: source.name, tenant_id: source.project_id } : {}, ip_range: r.group_id !== null ? {} : { cidr: r.cidr },
  };
}

/** Source groups named by the rules of these groups, loaded once. */
async function sourcesOf(groups: SecurityGroupObj[]): Promise<Map<number, SecurityGroupObj>> {
  const ids = [...new Set(groups.flatMap((g) => g.rules.map((r) => r.group_id).filter((id): id is number => id !== null)))];
  return new Map((await securityGroupsGet(ids)).map((g) => [g.id, g]));
}

async function groupViews(groups: SecurityGroupObj[]) {
  const sources = await sourcesOf(groups);
  return groups.map((g) => ({
    id: g.id, description: g.description, name: g.name, tenant_id: g.project_id,
    // A rule whose source group is gone (deleted meanwhile) is left out, as Nova does.
    rules: g.rules.filter((r) => r.group_id === null || sources.has(r.group_id)).map((r) => ruleView(r, sources)),
  }));
}

const sorted = <T extends { tenant_id: string; name: string }>(list: T[]) =>
  [...list].sort((a, b) => (a.tenant_id === b.tenant_id ? a.name.localeCompare(b.name) : a.tenant_id.localeCompare(b.tenant_id)));

/** Nova's _from_body: the body and its one key must be there. */
function fromBody(body: unknown, key: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || !Object.keys(body).length) throw badRequest("The request body can't be empty");
  const value = (body as Record<string, unknown>)[key];
  if (value === null || value === undefined) throw badRequest(`Missing parameter ${key}`);
  if (typeof value !== 'object') throw badRequest(`Missing parameter ${key}`);
  return value as Record<string, unknown>;
}

/** Nova's common.limited: `offset` and `limit` query parameters over a list. */
function limited<T>(req: ApiRequest, list: T[], maxLimit: number): T[] {
  const offset = Number(q1(req.query.offset) ?? 0);
  const limit = Number(q1(req.query.limit) ?? maxLimit);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('offset param must be positive');
  if (!Number.isInteger(limit) || limit < 0) throw badRequest('limit param must be positive');
  return list.slice(offset, offset + Math.min(limit || maxLimit, maxLimit));
}

/** Nova's _parse of addSecurityGroup/removeSecurityGroup. */
function groupName(body: Record<string, unknown>, action: string): string {
  const inner = body[action];
  if (!inner || typeof inner !== 'object' || Array.isArray(inner)) throw badRequest('Missing parameter dict');
  const name = (inner as Record<string, unknown>).name;
  if (name === undefined) throw badRequest('Security group not specified');
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('Security group name cannot be empty');
  return name;
}

/** /os-security-groups, /os-security-group-rules (to 2.35), server security groups and their actions. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const groups = () => networkApi(d).securityGroups;

  r.get('/os-security-groups', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:get`);
      const list = await groups().list(req.ctx, req.query.all_tenants !== undefined);
      return { security_groups: sorted(await groupViews(limited(req, list, d.conf.api.max_limit))) };
    },
  });

  r.get('/os-security-groups/:id', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:show`);
      return { security_group: (await groupViews([await groups().get(req.ctx, req.params.id)]))[0] };
    },
  });

  r.post('/os-security-groups', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:create`);
      const b = fromBody(req.body, 'security_group');
      return { security_group: (await groupViews([await groups().create(req.ctx, b.name, b.description)]))[0] };
    },
  });

  r.put('/os-security-groups/:id', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:update`);
      await groups().get(req.ctx, req.params.id);
      const b = fromBody(req.body, 'security_group');
      return { security_group: (await groupViews([await groups().update(req.ctx, req.params.id, b.name, b.description)]))[0] };
    },
  });

  r.delete('/os-security-groups/:id', {
    max: MAX_PROXY,
    status: 202,
    handler: async (req) => {
      req.authorize(`${POLICY}:delete`);
      await groups().delete(req.ctx, req.params.id);
    },
  });

  r.post('/os-security-group-rules', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:rule:create`);
      const b = fromBody(req.body, 'security_group_rule');
      const { rule, source } = await groups().createRule(req.ctx, b);
      return { security_group_rule: ruleView(rule, new Map(source ? [[source.id, source]] : [])) };
    },
  });

  r.delete('/os-security-group-rules/:id', {
    max: MAX_PROXY,
    status: 202,
    handler: async (req) => {
      req.authorize(`${POLICY}:rule:delete`);
      await groups().deleteRule(req.ctx, req.params.id);
    },
  });

  r.get('/servers/:server_id/os-security-groups', {
    handler: async (req) => {
      req.authorize(`${POLICY}:list`);
      const inst = await d.compute.get(req.ctx, req.params.server_id);
      return { security_groups: sorted(await groupViews(await groups().ofInstance(req.ctx, inst.uuid))) };
    },
  });

  for (const [action, rule] of [['addSecurityGroup', 'add'], ['removeSecurityGroup', 'remove']] as const) {
    r.action('/servers/:server_id', action, {
      handler: async (req) => {
        req.authorize(`${POLICY}:${rule}`);
        const name = groupName(req.body, action);
        const inst = await d.compute.get(req.ctx, req.params.server_id);
        if (action === 'addSecurityGroup') await groups().addToInstance(req.ctx, inst.uuid, name);
        else await groups().removeFromInstance(req.ctx, inst.uuid, name);
        return new ApiResponse(202);
      },
    });
  }
}
