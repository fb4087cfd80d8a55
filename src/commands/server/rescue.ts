import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findServer } from '../../client/resolve';

export default class ServerRescue extends ClientCommand {
  static summary = 'Reboots a server into rescue mode, which starts the machine from either the initial image or a specified image, attaching the current boot disk as secondary.';
  static aliases = ['rescue'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = {
    password: Flags.string({ description: 'The admin password to be set in the rescue environment.' }),
    image: Flags.string({ description: 'The image to rescue with.' }),
  };

  async run(): Promise<{ server: string; adminPass?: string }> {
    const { args, flags } = await this.parse(ServerRescue);
    const nova = await this.connect(flags);
    const imageRef = flags.image ? (await this.images(nova).find(flags.image)).id : undefined;
    const s = await findServer(nova, args.server);
    const answer = await nova.serverActions.rescue(s.id, { password: flags.password, imageRef });
    this.printDict({ ...answer });
    return { server: s.id, ...answer };
  }
}
