import { ClientCommand } from '../../cli/client_command';
import { FLOATING_IP_COLUMNS, floatingIpRow, networkProxy } from '../../cli/views/network';
import { FloatingIp } from '../../client/compute/floating_ips';

export default class FloatingIpList extends ClientCommand {
  static summary = 'List floating IPs.';
  static aliases = ['floating-ip-list'];

  async run(): Promise<FloatingIp[]> {
    const { flags } = await this.parse(FloatingIpList);
    const nova = networkProxy(await this.connect(flags), 'os-floating-ips');
    const list = await nova.floatingIps.list();
    this.printList(list.map(floatingIpRow), FLOATING_IP_COLUMNS);
    return list;
  }
}
