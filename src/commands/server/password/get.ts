import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { decryptPassword } from '../../../client/password_crypto';
import { findServer } from '../../../client/resolve';

export default class ServerPasswordGet extends ClientCommand {
  static summary = 'Get the admin password for a server.';
  static description = 'This operation calls the metadata service to query metadata information and does not read password information from the server itself.';
  static aliases = ['get-password'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    private_key: Args.string({
      description: 'Private key (used locally to decrypt password) (Optional). When specified, the command displays the clear (decrypted) VM password. ' +
        'When not specified, the ciphered VM password is displayed.',
    }),
  };

  async run(): Promise<{ server: string; password: string; decrypted: boolean }> {
    const { args, flags } = await this.parse(ServerPasswordGet);
    const nova = await this.connect(flags);
    const server = await findServer(nova, args.server);
    const ciphered = await nova.serverPassword.get(server.id);
    const decrypted = Boolean(args.private_key && ciphered);
    const password = decrypted ? decryptPassword(args.private_key!, ciphered) : ciphered;
    this.log(password);
    return { server: server.id, password, decrypted };
  }
}
