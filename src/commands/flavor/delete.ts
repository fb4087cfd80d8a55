import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findFlavor } from '../../client/resolve';

export default class FlavorDelete extends ClientCommand {
  static summary = 'Delete a specific flavor';
  static aliases = ['flavor-delete'];
  static args = { flavor: Args.string({ description: 'Name or ID of the flavor to delete.', required: true }) };

  async run(): Promise<{ deleted: string; name: string }> {
    const { args, flags } = await this.parse(FlavorDelete);
    const nova = await this.connect(flags);
    const flavor = await findFlavor(nova, args.flavor);
    await nova.flavors.delete(flavor.id);
    return { deleted: flavor.id, name: flavor.name };
  }
}
