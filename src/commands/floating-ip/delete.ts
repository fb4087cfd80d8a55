import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { FloatingIp } from '../../client/compute/floating_ips';
import { CommandError } from '../../client/errors';

export default class FloatingIpDelete extends ClientCommand {
  static summary = 'De-allocate a floating IP.';
  static aliases = ['floating-ip-delete'];
  static args = { address: Args.string({ description: 'IP of Floating IP.', required: true }) };

  async run(): Promise<FloatingIp> {
    const { args, flags } = await this.parse(FloatingIpDelete);
    const nova = networkProxy(await this.connect(flags), 'os-floating-ips');
    const ip = (await nova.floatingIps.list()).find((f) => f.ip === args.address);
    if (!ip) throw new CommandError(`Floating IP ${args.address} not found.`);
    await nova.floatingIps.delete(ip.id);
    return ip;
  }
}
