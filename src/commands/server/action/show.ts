import { inspect } from 'node:util';
import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { InstanceAction } from '../../../client/compute/instance_actions';
import { serverIdForActions } from '../../../client/resolve';

export default class InstanceActionShow extends ClientCommand {
  static summary = 'Show an action.';
  static aliases = ['instance-action'];
  static args = {
    server: Args.string({ description: 'Name or UUID of the server to show actions for. Only UUID can be used to show actions for a deleted server.', required: true }),
    request_id: Args.string({ description: 'Request ID of the action to get.', required: true }),
  };

  async run(): Promise<InstanceAction> {
    const { args, flags } = await this.parse(InstanceActionShow);
    const nova = await this.connect(flags);
    const action = await nova.instanceActions.get(await serverIdForActions(nova, args.server), args.request_id);
    const shown: Record<string, unknown> = { ...action };
    if (action.events) shown.events = inspect(action.events, { depth: 4, breakLength: 80 });
    this.printDict(shown);
    return action;
  }
}
