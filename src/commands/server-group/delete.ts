import { Args } from '@oclif/core';
import { ClientCommand, ManyResult } from '../../cli/client_command';

export default class ServerGroupDelete extends ClientCommand {
  static summary = 'Delete specific server group(s).';
  static aliases = ['server-group-delete'];
  static strict = false;
  static args = { id: Args.string({ description: 'Unique ID(s) of the server group to delete.', required: true }) };

  async run(): Promise<Array<ManyResult<void>>> {
    const { argv, flags } = await this.parse(ServerGroupDelete);
    const nova = await this.connect(flags);
    return this.onMany(argv as string[], (id) => nova.serverGroups.delete(id),
      (id) => `Server group ${id} has been successfully deleted.`, 'Unable to delete the specified server group(s).');
  }
}
