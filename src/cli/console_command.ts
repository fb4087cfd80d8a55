import { ClientCommand, ClientFlags } from './client_command';
import { RemoteConsole } from '../client/compute/consoles';
import { findServer } from '../client/resolve';

/** What the get-*-console commands share: find the server, ask for the console, print novaclient's `Type | Url` table. */
export abstract class ConsoleCommand extends ClientCommand {
  protected async showConsole(flags: ClientFlags, serverRef: string, protocol: 'vnc' | 'spice' | 'serial', type: string): Promise<RemoteConsole & { server: string }> {
    const nova = await this.connect(flags);
    const server = await findServer(nova, serverRef);
    const remote = await nova.consoles.get(server.id, protocol, type);
    this.printList([remote], ['Type', 'Url']);
    return { server: server.id, ...remote };
  }
}
