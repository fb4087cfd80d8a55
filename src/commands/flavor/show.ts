import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { extraSpecsOf } from '../../cli/views/flavor';
import { Flavor } from '../../client/compute/flavors';
import { findFlavor } from '../../client/resolve';

export default class FlavorShow extends ClientCommand {
  static summary = 'Show details about the given flavor.';
  static aliases = ['flavor-show'];
  static args = { flavor: Args.string({ description: 'Name or ID of flavor.', required: true }) };

  async run(): Promise<Flavor> {
    const { args, flags } = await this.parse(FlavorShow);
    const nova = await this.connect(flags);
    const flavor = await findFlavor(nova, args.flavor);
    const info: Record<string, unknown> = { ...flavor, extra_specs: await extraSpecsOf(nova, flavor) };
    delete info.links;
    this.printDict(info);
    return flavor;
  }
}
