import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { Keypair } from '../../client/compute/keypairs';
import { findKeypair } from '../../client/resolve';

export default class KeypairShow extends ClientCommand {
  static summary = 'Show details about the given keypair.';
  static aliases = ['keypair-show'];
  static args = { keypair: Args.string({ description: 'Name of keypair.', required: true }) };
  static flags = { user: Flags.string({ description: 'ID of key-pair owner (Admin only; API 2.10 or later).' }) };

  async run(): Promise<Keypair> {
    const { args, flags } = await this.parse(KeypairShow);
    const nova = await this.connect(flags);
    if (flags.user) nova.requireAtLeast('2.10', '--user');
    const keypair = nova.supports('2.10') ? await nova.keypairs.get(args.keypair, flags.user) : await findKeypair(nova, args.keypair);
    const { public_key: publicKey, ...rest } = keypair;
    this.printDict(rest);
    this.log(`Public key: ${publicKey}`);
    return keypair;
  }
}
