import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { Keypair } from '../../client/compute/keypairs';

export default class KeypairList extends ClientCommand {
  static summary = 'Print a list of keypairs for a user';
  static aliases = ['keypair-list'];
  static flags = {
    user: Flags.string({ description: 'List key-pairs of specified user ID (Admin only; API 2.10 or later).' }),
    marker: Flags.string({ description: 'The last keypair of the previous page; displays list of keypairs after "marker" (API 2.35 or later).' }),
    limit: Flags.integer({ description: 'Maximum number of keypairs to display (API 2.35 or later).' }),
  };

  async run(): Promise<Keypair[]> {
    const { flags } = await this.parse(KeypairList);
    const nova = await this.connect(flags);
    if (flags.user) nova.requireAtLeast('2.10', '--user');
    if (flags.marker || flags.limit !== undefined) nova.requireAtLeast('2.35', 'Paging keypairs');
    const keypairs = await nova.keypairs.list({ userId: flags.user, marker: flags.marker, limit: flags.limit });
    this.printList(keypairs, nova.supports('2.2') ? ['Name', 'Type', 'Fingerprint'] : ['Name', 'Fingerprint']);
    return keypairs;
  }
}
