import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { quotaTable } from '../../cli/quota_flags';
import { QuotaSet, QuotaSetDetail } from '../../client/compute/quotas';

export default class QuotaShow extends ClientCommand {
  static summary = 'List the quotas for a tenant/user.';
  static aliases = ['quota-show'];
  static flags = {
    tenant: Flags.string({ description: 'ID of tenant to list the quotas for (default: the project of this session).' }),
    user: Flags.string({ description: 'ID of user to list the quotas for.' }),
    detail: Flags.boolean({ description: 'Show detailed info (limit, reserved, in-use).' }),
  };

  async run(): Promise<QuotaSet | QuotaSetDetail> {
    const { flags } = await this.parse(QuotaShow);
    const nova = await this.connect(flags);
    const project = flags.tenant ?? await this.currentProject(nova);
    const quotas = await nova.quotas.get(project, { userId: flags.user, detail: flags.detail });
    this.log(quotaTable(quotas));
    return quotas;
  }
}
