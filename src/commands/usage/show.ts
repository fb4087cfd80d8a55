import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { TenantUsage } from '../../client/compute/usage';
import { rangeFlags, usageRange, usageRow, ymd } from '../../cli/usage';

export default class UsageShow extends ClientCommand {
  static summary = 'Show usage data for a single tenant.';
  static aliases = ['usage'];
  static flags = {
    ...rangeFlags,
    tenant: Flags.string({ description: 'UUID of tenant to get usage for (default: the project of this session).' }),
  };

  async run(): Promise<TenantUsage | null> {
    const { flags } = await this.parse(UsageShow);
    const { start, end } = usageRange(flags);
    const nova = await this.connect(flags);
    const usage = await nova.usage.get(flags.tenant ?? await this.currentProject(nova), start, end);
    this.log(`Usage from ${ymd(start)} to ${ymd(end)}:`);
    if (usage && usage.total_vcpus_usage) this.printList([usageRow(usage)], ['Servers', 'RAM MiB-Hours', 'CPU Hours', 'Disk GiB-Hours']);
    else this.log('None');
    return usage ?? null;
  }
}
