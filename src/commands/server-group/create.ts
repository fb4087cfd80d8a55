import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { serverGroupColumns, serverGroupRow } from '../../cli/views/server_group';
import { ServerGroup } from '../../client/compute/server_groups';
import { CommandError } from '../../client/errors';

export default class ServerGroupCreate extends ClientCommand {
  static summary = 'Create a new server group with the specified details.';
  static aliases = ['server-group-create'];
  static args = {
    name: Args.string({ description: 'Server group name.', required: true }),
    policy: Args.string({ description: 'Policy for the server group (affinity, anti-affinity, soft-affinity, soft-anti-affinity).', required: true }),
  };
  static flags = {
    rule: Flags.string({
      multiple: true, helpValue: '<key=value>',
      description: 'A rule for the policy (API 2.64+). Currently, only the "max_server_per_host" rule is supported for the "anti-affinity" policy.',
    }),
  };

  async run(): Promise<ServerGroup> {
    const { args, flags } = await this.parse(ServerGroupCreate);
    const nova = await this.connect(flags);
    const rules = parseRules(flags.rule ?? []);
    if (Object.keys(rules).length && !nova.supports('2.64')) nova.requireAtLeast('2.64', 'server-group-create --rule');
    const group = await nova.serverGroups.create(args.name, args.policy, rules);
    this.printList([serverGroupRow(group)], serverGroupColumns(nova));
    return group;
  }
}

/** `--rule max_server_per_host=2`: integer values, as novaclient sends them. */
function parseRules(items: string[]): Record<string, number> {
  const rules: Record<string, number> = {};
  for (const item of items) {
    const [k, v] = item.split('=', 2);
    if (!k || v === undefined || !/^\d+$/.test(v.trim())) throw new CommandError(`Invalid rule '${item}': give key=value with an integer value, e.g. max_server_per_host=2.`);
    rules[k] = Number(v);
  }
  return rules;
}
