import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';

export default class FixedIpReserve extends ClientCommand {
  static summary = 'Reserve a fixed IP.';
  static aliases = ['fixed-ip-reserve'];
  static args = { fixed_ip: Args.string({ description: 'Fixed IP Address.', required: true }) };

  async run(): Promise<{ address: string; reserved: boolean }> {
    const { args, flags } = await this.parse(FixedIpReserve);
    const nova = networkProxy(await this.connect(flags), 'os-fixed-ips');
    await nova.fixedIps.reserve(args.fixed_ip);
    return { address: args.fixed_ip, reserved: true };
  }
}
