import { ComputeClient } from '../../client/compute/client';
import { ServerGroup } from '../../client/compute/server_groups';
import { pyRepr } from '../table';

/** novaclient's _print_server_group_details columns for the session's microversion. */
export function serverGroupColumns(nova: ComputeClient): string[] {
  if (!nova.supports('2.13')) return ['Id', 'Name', 'Policies', 'Members', 'Metadata'];
  if (!nova.supports('2.64')) return ['Id', 'Name', 'Project Id', 'User Id', 'Policies', 'Members', 'Metadata'];
  return ['Id', 'Name', 'Project Id', 'User Id', 'Policy', 'Rules', 'Members'];
}

/** Lists and dicts as Python shows them, as novaclient's print_list did. */
export function serverGroupRow(g: ServerGroup): Record<string, unknown> {
  const repr = (v: unknown) => (v === undefined ? undefined : pyRepr(v));
  return {
    id: g.id, name: g.name, project_id: g.project_id, user_id: g.user_id, policy: g.policy,
    policies: repr(g.policies), members: repr(g.members), metadata: repr(g.metadata), rules: repr(g.rules),
  };
}
