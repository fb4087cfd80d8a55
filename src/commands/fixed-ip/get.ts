import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { FixedIp } from '../../client/compute/networks';

export default class FixedIpGet extends ClientCommand {
  static summary = 'Retrieve info on a fixed IP.';
  static aliases = ['fixed-ip-get'];
  static args = { fixed_ip: Args.string({ description: 'Fixed IP Address.', required: true }) };

  async run(): Promise<FixedIp> {
    const { args, flags } = await this.parse(FixedIpGet);
    const nova = networkProxy(await this.connect(flags), 'os-fixed-ips');
    const ip = await nova.fixedIps.get(args.fixed_ip);
    this.printList([ip], ['address', 'cidr', 'hostname', 'host']);
    return ip;
  }
}
