import { RequestContext } from '../context';
import * as db from '../db/api/server_groups';
import { ServerGroupObj } from '../db/api/server_groups';
import { InstanceGroupNotFound, InvalidInput, ServerGroupLimitExceeded, ServerGroupMemberLimitExceeded } from '../exception';
import type { QuotaAPI } from './quota_api';

export const GROUP_POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];

/** Server groups (Nova's InstanceGroup): a placement policy shared by their member servers. */
export class ServerGroupAPI {
  constructor(private quotas: QuotaAPI) {}

  async create(ctx: RequestContext, v: { name: string; policy: string; rules: Record<string, unknown> }): Promise<ServerGroupObj> {
    const projectId = ctx.project_id!;
    const limit = (await this.quotas.limits(projectId, ctx.user_id ?? undefined)).server_groups ?? -1;
    if (limit >= 0 && (await db.serverGroupCount(projectId)) + 1 > limit) throw new ServerGroupLimitExceeded();
    return db.serverGroupCreate({ ...v, project_id: projectId, user_id: ctx.user_id! });
  }

  /** A group of the caller's project (any project for admins); 404 otherwise. */
  async get(ctx: RequestContext, uuid: string): Promise<ServerGroupObj> {
    const g = await db.serverGroupGet(uuid);
    if (!g || (!ctx.is_admin && g.project_id !== ctx.project_id)) throw new InstanceGroupNotFound({ group_uuid: uuid });
    return g;
  }

  list(ctx: RequestContext, allProjects: boolean, page: { limit?: number; offset?: number }): Promise<ServerGroupObj[]> {
    return db.serverGroupList(allProjects && ctx.is_admin ? null : ctx.project_id!, page);
  }

  async delete(ctx: RequestContext, uuid: string): Promise<void> {
    await db.serverGroupDestroy((await this.get(ctx, uuid)).id);
  }

  /**
   * The group a boot names with the `group` scheduler hint, checked against the
   * server_group_members quota for `count` more members. An unknown group is the caller's error (400).
   */
  async forBoot(ctx: RequestContext, uuid: string, count: number): Promise<ServerGroupObj> {
    let g: ServerGroupObj;
    try { g = await this.get(ctx, uuid); } catch (e) {
      if (e instanceof InstanceGroupNotFound) throw new InvalidInput({}, `Instance group ${uuid} could not be found.`);
      throw e;
    }
    const limit = (await this.quotas.limits(ctx.project_id!, ctx.user_id ?? undefined)).server_group_members ?? -1;
    if (limit >= 0 && g.members.length + count > limit) throw new ServerGroupMemberLimitExceeded();
    return g;
  }

  addMembers(group: ServerGroupObj, uuids: string[]): Promise<void> {
    return db.serverGroupAddMembers(group.id, uuids);
  }
}
