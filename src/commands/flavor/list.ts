import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { flavorTable } from '../../cli/views/flavor';
import { Flavor } from '../../client/compute/flavors';

export default class FlavorList extends ClientCommand {
  static summary = "Print a list of available 'flavors' (sizes of servers).";
  static aliases = ['flavor-list'];
  static flags = {
    'extra-specs': Flags.boolean({ description: 'Get extra-specs of each flavor.' }),
    all: Flags.boolean({ description: 'Display all flavors (Admin only).' }),
    marker: Flags.string({ description: 'The last flavor ID of the previous page; displays list of flavors after "marker".' }),
    'min-disk': Flags.integer({ description: 'Filters the flavors by a minimum disk space, in GiB.' }),
    'min-ram': Flags.integer({ description: 'Filters the flavors by a minimum RAM, in MiB.' }),
    limit: Flags.integer({ description: 'Maximum number of flavors to display.' }),
    'sort-key': Flags.string({ description: 'Flavors list sort key.' }),
    'sort-dir': Flags.string({ description: 'Flavors list sort direction.' }),
  };

  async run(): Promise<Flavor[]> {
    const { flags } = await this.parse(FlavorList);
    const nova = await this.connect(flags);
    const common = { minDisk: flags['min-disk'], minRam: flags['min-ram'], sortKey: flags['sort-key'], sortDir: flags['sort-dir'] };
    const flavors = flags.all
      ? await nova.flavors.list({ ...common, isPublic: null })
      : await nova.flavors.list({ ...common, marker: flags.marker, limit: flags.limit });
    this.log(await flavorTable(nova, flavors, flags['extra-specs']));
    return flavors;
  }
}
