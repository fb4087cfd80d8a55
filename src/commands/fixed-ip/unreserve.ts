import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';

export default class FixedIpUnreserve extends ClientCommand {
  static summary = 'Unreserve a fixed IP.';
  static aliases = ['fixed-ip-unreserve'];
  static args = { fixed_ip: Args.string({ description: 'Fixed IP Address.', required: true }) };

  async run(): Promise<{ address: string; reserved: boolean }> {
    const { args, flags } = await this.parse(FixedIpUnreserve);
    const nova = networkProxy(await this.connect(flags), 'os-fixed-ips');
    await nova.fixedIps.unreserve(args.fixed_ip);
    return { address: args.fixed_ip, reserved: false };
  }
}
