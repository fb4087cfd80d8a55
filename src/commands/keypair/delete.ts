import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findKeypair } from '../../client/resolve';

export default class KeypairDelete extends ClientCommand {
  static summary = 'Delete keypair given by its name.';
  static aliases = ['keypair-delete'];
  static args = { name: Args.string({ description: 'Keypair name to delete.', required: true }) };
  static flags = { user: Flags.string({ description: 'ID of key-pair owner (Admin only; API 2.10 or later).' }) };

  async run(): Promise<{ deleted: string }> {
    const { args, flags } = await this.parse(KeypairDelete);
    const nova = await this.connect(flags);
    if (flags.user) nova.requireAtLeast('2.10', '--user');
    const name = nova.supports('2.10') ? args.name : (await findKeypair(nova, args.name)).name;
    await nova.keypairs.delete(name, flags.user);
    return { deleted: name };
  }
}
