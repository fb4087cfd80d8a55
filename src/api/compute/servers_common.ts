import { InstanceInvalidState, InstanceNotFound } from '../../exception';
import { Instance } from '../../objects/instance';
import { HttpError } from '../faults';
import { ApiRequest } from '../router';
import { ControllerDeps } from './deps';
import { ViewContext } from './views/servers';

/** The policy target of an instance (Nova passes project_id and user_id). */
export function targetOf(inst: Instance): Record<string, unknown> {
  return { project_id: inst.project_id, user_id: inst.user_id };
}

/**
 * Loads a server the caller may see, then checks `rule` against it, in Nova's order: another
 * project's server is 404 before any policy says 403.
 */
export async function loadServer(req: ApiRequest, d: ControllerDeps, rule: string | null, opts: { readDeleted?: 'no' | 'yes'; notFound?: string } = {}): Promise<Instance> {
  let inst: Instance;
  try {
    inst = await d.compute.get(req.ctx, req.params.server_id, { readDeleted: opts.readDeleted });
  } catch (e) {
    if (e instanceof InstanceNotFound && opts.notFound) throw new HttpError(404, opts.notFound);
    throw e;
  }
  if (rule) req.authorize(rule, targetOf(inst));
  return inst;
}

/** Nova's raise_http_conflict_for_instance_invalid_state: the API's action name in the message. */
export async function withConflicts<T>(action: string, serverId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InstanceInvalidState && e.name === 'InstanceInvalidState') {
      const { attr, state } = e.kwargs as { attr?: string; state?: string };
      if (attr !== undefined && state !== undefined) throw new HttpError(409, `Cannot '${action}' instance ${serverId} while it is in ${attr} ${state}`);
      throw new HttpError(409, `Instance ${serverId} is in an invalid state for '${action}'`);
    }
    throw e;
  }
}

/** What the server views need for these instances: faults, host status and what the caller may see. */
export async function viewContext(req: ApiRequest, d: ControllerDeps, instances: Instance[], opts: { single?: boolean } = {}): Promise<ViewContext> {
  const showHostAttrs = req.can('os_compute_api:os-extended-server-attributes');
  const hosts = [...new Set(instances.map((i) => i.host).filter((h): h is string => !!h))];
  const hostStatus = req.version.gte('2.16') && req.can('os_compute_api:servers:show:host_status')
    ? await d.compute.hostStatuses(hosts) : undefined;
  return {
    baseUrl: req.baseUrl, version: req.version, showHostAttrs, isAdmin: req.ctx.is_admin,
    instanceNameTemplate: d.conf.DEFAULT.instance_name_template, faults: await d.compute.faults(instances.map((i) => i.uuid)), hostStatus,
    serverGroups: opts.single ? await d.compute.serverGroupsOf(instances.map((i) => i.uuid)) : undefined,
  };
}

/** The id at the end of an href (`http://host/v2.1/flavors/3` is `3`), as Nova's get_id_from_href. */
export function idFromHref(ref: string | number): string {
  const s = String(ref);
  const path = s.split('?')[0];
  return path.split('/').filter(Boolean).pop() ?? s;
}
