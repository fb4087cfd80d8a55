import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { FLOATING_IP_COLUMNS, floatingIpRow, networkProxy } from '../../cli/views/network';
import { FloatingIp } from '../../client/compute/floating_ips';

export default class FloatingIpCreate extends ClientCommand {
  static summary = 'Allocate a floating IP for the current tenant.';
  static aliases = ['floating-ip-create'];
  static args = { pool: Args.string({ description: 'Name of Floating IP Pool. (Optional)' }) };

  async run(): Promise<FloatingIp> {
    const { args, flags } = await this.parse(FloatingIpCreate);
    const nova = networkProxy(await this.connect(flags), 'os-floating-ips');
    const ip = await nova.floatingIps.create(args.pool);
    this.printList([floatingIpRow(ip)], FLOATING_IP_COLUMNS);
    return ip;
  }
}
