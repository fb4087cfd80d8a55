import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';

export default class FloatingIpPoolList extends ClientCommand {
  static summary = 'List all floating IP pools.';
  static aliases = ['floating-ip-pool-list'];

  async run(): Promise<Array<{ name: string }>> {
    const { flags } = await this.parse(FloatingIpPoolList);
    const nova = networkProxy(await this.connect(flags), 'os-floating-ip-pools');
    const pools = await nova.floatingIps.pools();
    this.printList(pools, ['name']);
    return pools;
  }
}
