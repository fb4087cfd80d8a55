import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { InstanceAction } from '../../../client/compute/instance_actions';
import { CommandError } from '../../../client/errors';
import { serverIdForActions } from '../../../client/resolve';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export default class InstanceActionList extends ClientCommand {
  static summary = 'List actions on a server.';
  static aliases = ['instance-action-list'];
  static args = { server: Args.string({ description: 'Name or UUID of the server to list actions for. Only UUID can be used to list actions on a deleted server.', required: true }) };
  static flags = {
    marker: Flags.string({ description: 'The last instance action of the previous page (API 2.58 or later).' }),
    limit: Flags.integer({ description: 'Maximum number of instance actions to display (API 2.58 or later).' }),
    'changes-since': Flags.string({ description: 'Only actions changed later or equal to this ISO 8601 time (API 2.58 or later).' }),
    'changes-before': Flags.string({ description: 'Only actions changed earlier or equal to this ISO 8601 time (API 2.66 or later).' }),
  };

  async run(): Promise<InstanceAction[]> {
    const { args, flags } = await this.parse(InstanceActionList);
    for (const [name, value] of [['changes-since', flags['changes-since']], ['changes-before', flags['changes-before']]] as const) {
      if (value && !ISO_TIME.test(value)) throw new CommandError(`Invalid ${name} value: ${value}`);
    }
    const nova = await this.connect(flags);
    if (flags.marker || flags.limit !== undefined || flags['changes-since']) nova.requireAtLeast('2.58', 'Paging and filtering instance actions');
    if (flags['changes-before']) nova.requireAtLeast('2.66', '--changes-before');
    const id = await serverIdForActions(nova, args.server);
    const actions = await nova.instanceActions.list(id, { marker: flags.marker, limit: flags.limit, changesSince: flags['changes-since'], changesBefore: flags['changes-before'] });
    const columns = ['Action', 'Request_ID', 'Message', 'Start_Time', ...(nova.supports('2.58') ? ['Updated_At'] : [])];
    this.printList(actions, columns, { sortBy: 'Start_Time' });
    return actions;
  }
}
