import { ClientCommand } from '../../cli/client_command';
import { TenantUsage } from '../../client/compute/usage';
import { rangeFlags, usageRange, usageRow, ymd } from '../../cli/usage';

export default class UsageList extends ClientCommand {
  static summary = 'List usage data for all tenants.';
  static aliases = ['usage-list'];
  static flags = { ...rangeFlags };

  async run(): Promise<TenantUsage[]> {
    const { flags } = await this.parse(UsageList);
    const { start, end } = usageRange(flags);
    const nova = await this.connect(flags);
    const usages = await nova.usage.list(start, end);
    this.log(`Usage from ${ymd(start)} to ${ymd(end)}:`);
    this.printList(usages.map(usageRow), ['Tenant ID', 'Servers', 'RAM MiB-Hours', 'CPU Hours', 'Disk GiB-Hours']);
    return usages;
  }
}
