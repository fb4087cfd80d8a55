import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { quotaTable } from '../../cli/quota_flags';
import { QuotaSet } from '../../client/compute/quotas';

export default class QuotaDefaults extends ClientCommand {
  static summary = 'List the default quotas for a tenant.';
  static aliases = ['quota-defaults'];
  static flags = { tenant: Flags.string({ description: 'ID of tenant to list the default quotas for (default: the project of this session).' }) };

  async run(): Promise<QuotaSet> {
    const { flags } = await this.parse(QuotaDefaults);
    const nova = await this.connect(flags);
    const quotas = await nova.quotas.defaults(flags.tenant ?? await this.currentProject(nova));
    this.log(quotaTable(quotas));
    return quotas;
  }
}
