import * as fs from 'node:fs';
import * as os from 'node:os';
import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { Keypair } from '../../client/compute/keypairs';
import { CommandError } from '../../client/errors';

function readPublicKey(file: string): string {
  try {
    return file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file.replace(/^~(?=$|\/)/, os.homedir()), 'utf8');
  } catch (e) {
    throw new CommandError(`Can't open or read '${file}': ${(e as Error).message}`);
  }
}

export default class KeypairAdd extends ClientCommand {
  static summary = 'Create a new key pair for use with servers.';
  static description = 'With --pub-key, imports that public key; without, the server generates the pair and the private key is printed ' +
    '(the API stopped generating keys in 2.92: this then asks at 2.91 unless --os-compute-api-version says otherwise).';
  static aliases = ['keypair-add'];
  static examples = ['nova keypair-add --pub-key ~/.ssh/id_ed25519.pub mykey', 'nova keypair-add mykey > mykey.pem'];
  static args = { name: Args.string({ description: 'Name of key.', required: true }) };
  static flags = {
    'pub-key': Flags.string({ description: "Path to a public ssh key ('-' reads it from stdin)." }),
    'key-type': Flags.string({ description: 'Keypair type. Can be ssh or x509 (API 2.2 or later).', default: 'ssh' }),
    user: Flags.string({ description: 'ID of user to whom to add key-pair (Admin only; API 2.10 or later).' }),
  };

  async run(): Promise<Keypair> {
    const { args, flags } = await this.parse(KeypairAdd);
    const publicKey = flags['pub-key'] ? readPublicKey(flags['pub-key']) : undefined;
    let nova = await this.connect(flags);
    if (flags.user) nova.requireAtLeast('2.10', '--user');
    if (!publicKey) {
      nova = nova.atMost('2.91', 'The API stopped generating keypairs in microversion 2.92: give --pub-key, or --os-compute-api-version 2.91.');
    }
    const keypair = await nova.keypairs.create({ name: args.name, public_key: publicKey, type: flags['key-type'], user_id: flags.user });
    if (!publicKey) this.log(keypair.private_key ?? '');
    return keypair;
  }
}
