import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { flavorTable } from '../../cli/views/flavor';
import { Flavor } from '../../client/compute/flavors';
import { findFlavor } from '../../client/resolve';

export default class FlavorUpdate extends ClientCommand {
  static summary = 'Update the description of an existing flavor.';
  static aliases = ['flavor-update'];
  static args = {
    flavor: Args.string({ description: 'Name or ID of the flavor to update.', required: true }),
    description: Args.string({ description: 'A free form description of the flavor.', required: true }),
  };

  async run(): Promise<Flavor> {
    const { args, flags } = await this.parse(FlavorUpdate);
    const nova = await this.connect(flags);
    nova.requireAtLeast('2.55', 'flavor-update');
    const found = await findFlavor(nova, args.flavor);
    const flavor = await nova.flavors.update(found.id, args.description);
    this.log(await flavorTable(nova, [flavor]));
    return flavor;
  }
}
