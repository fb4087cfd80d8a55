import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { extractMetadata } from '../../cli/server_support';
import { validFlavorKey } from '../../cli/views/flavor';
import { CommandError } from '../../client/errors';
import { findFlavor } from '../../client/resolve';

export default class FlavorKey extends ClientCommand {
  static summary = 'Set or unset extra_spec for a flavor.';
  static aliases = ['flavor-key'];
  static strict = false;
  static examples = ['nova flavor-key m1.small set hw:cpu_policy=dedicated', 'nova flavor-key m1.small unset hw:cpu_policy'];
  static args = {
    flavor: Args.string({ description: 'Name or ID of flavor.', required: true }),
    action: Args.string({ description: "Actions: 'set' or 'unset'.", required: true, options: ['set', 'unset'] }),
    metadata: Args.string({ description: 'Extra_specs to set/unset (only key is necessary on unset).', required: true }),
  };

  async run(): Promise<{ flavor: string; extra_specs?: Record<string, string>; unset?: string[] }> {
    const { args, argv, flags } = await this.parse(FlavorKey);
    const specs = extractMetadata((argv as string[]).slice(2));
    const nova = await this.connect(flags);
    const flavor = await findFlavor(nova, args.flavor);
    if (args.action === 'set') {
      for (const key of Object.keys(specs)) {
        if (!validFlavorKey(key)) throw new CommandError(`Invalid key: "${key}". Keys may only contain letters, numbers, spaces, underscores, periods, colons and hyphens.`);
        if (specs[key] === null) throw new CommandError(`'${key}' is not in the format of 'key=value'`);
      }
      return { flavor: flavor.id, extra_specs: await nova.flavors.setExtraSpecs(flavor.id, specs as Record<string, string>) };
    }
    const keys = Object.keys(specs);
    for (const key of keys) await nova.flavors.unsetExtraSpec(flavor.id, key);
    return { flavor: flavor.id, unset: keys };
  }
}
