import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { FlavorAccess } from '../../../client/compute/flavors';
import { findFlavor } from '../../../client/resolve';

export default class FlavorAccessRemove extends ClientCommand {
  static summary = 'Remove flavor access for the given tenant.';
  static aliases = ['flavor-access-remove'];
  static args = {
    flavor: Args.string({ description: 'Flavor name or ID to remove access for the given tenant.', required: true }),
    tenant: Args.string({ description: 'Tenant ID to remove flavor access for.', required: true }),
  };

  async run(): Promise<FlavorAccess[]> {
    const { args, flags } = await this.parse(FlavorAccessRemove);
    const nova = await this.connect(flags);
    const flavor = await findFlavor(nova, args.flavor);
    const access = await nova.flavors.removeAccess(flavor.id, args.tenant);
    this.printList(access, ['Flavor_ID', 'Tenant_ID']);
    return access;
  }
}
