import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { flavorTable } from '../../cli/views/flavor';
import { Flavor } from '../../client/compute/flavors';
import { CommandError } from '../../client/errors';

function integer(value: string, what: string): number {
  if (!/^\s*-?\d+\s*$/.test(value)) throw new CommandError(`${what} must be an integer.`);
  return Number(value);
}

function bool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(v)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(v)) return false;
  throw new CommandError('is_public must be a boolean.');
}

export default class FlavorCreate extends ClientCommand {
  static summary = 'Create a new flavor.';
  static aliases = ['flavor-create'];
  static examples = ['nova flavor-create m1.tiny auto 512 1 1', 'nova flavor-create --is-public false --description "GPU box" g1 100 16384 80 8'];
  static args = {
    name: Args.string({ description: 'Unique name of the new flavor.', required: true }),
    id: Args.string({ description: "Unique ID of the new flavor. Specifying 'auto' will generated a UUID for the ID.", required: true }),
    ram: Args.string({ description: 'Memory size in MiB.', required: true }),
    disk: Args.string({ description: 'Disk size in GiB.', required: true }),
    vcpus: Args.string({ description: 'Number of vcpus', required: true }),
  };
  static flags = {
    ephemeral: Flags.string({ description: 'Ephemeral space size in GiB (default 0).', default: '0' }),
    swap: Flags.string({ description: 'Additional swap space size in MiB (default 0).', default: '0' }),
    'rxtx-factor': Flags.string({ description: 'RX/TX factor (default 1).', default: '1.0' }),
    'is-public': Flags.string({ description: 'Make flavor accessible to the public (default true).', default: 'true' }),
    description: Flags.string({ description: 'A free form description of the flavor (API 2.55 or later).' }),
  };

  async run(): Promise<Flavor> {
    const { args, flags } = await this.parse(FlavorCreate);
    const ram = integer(args.ram, 'Ram');
    const vcpus = integer(args.vcpus, 'VCPUs');
    const disk = integer(args.disk, 'Disk');
    const swap = integer(flags.swap, 'Swap');
    const ephemeral = integer(flags.ephemeral, 'Ephemeral');
    const rxtx = Number(flags['rxtx-factor']);
    if (!Number.isFinite(rxtx)) throw new CommandError('rxtx_factor must be a float.');
    const isPublic = bool(flags['is-public']);
    const nova = await this.connect(flags);
    if (flags.description) nova.requireAtLeast('2.55', 'A flavor description');
    const flavor = await nova.flavors.create({
      name: args.name, id: args.id === 'auto' ? null : args.id, ram, vcpus, disk, swap, ephemeral, rxtx_factor: rxtx, is_public: isPublic,
      description: flags.description,
    });
    this.log(await flavorTable(nova, [flavor]));
    return flavor;
  }
}
