import { Flags } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { FlavorAccess } from '../../../client/compute/flavors';
import { CommandError } from '../../../client/errors';
import { findFlavor } from '../../../client/resolve';

export default class FlavorAccessList extends ClientCommand {
  static summary = 'Print access information about the given flavor.';
  static aliases = ['flavor-access-list'];
  static flags = { flavor: Flags.string({ description: 'Filter results by flavor name or ID.' }) };

  async run(): Promise<FlavorAccess[]> {
    const { flags } = await this.parse(FlavorAccessList);
    if (!flags.flavor) throw new CommandError('Unable to get all access lists. Specify --flavor');
    const nova = await this.connect(flags);
    const flavor = await findFlavor(nova, flags.flavor);
    if (flavor['os-flavor-access:is_public']) throw new CommandError('Access list not available for public flavors.');
    const access = await nova.flavors.listAccess(flavor.id);
    this.printList(access, ['Flavor_ID', 'Tenant_ID']);
    return access;
  }
}
