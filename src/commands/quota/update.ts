import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { quotaFlags, quotaUpdates } from '../../cli/quota_flags';
import { QuotaSet } from '../../client/compute/quotas';

export default class QuotaUpdate extends ClientCommand {
  static summary = 'Update the quotas for a tenant/user.';
  static aliases = ['quota-update'];
  static examples = ['nova quota-update --instances 20 --cores 40 <project-id>'];
  static args = { tenant: Args.string({ description: 'ID of tenant to set the quotas for.', required: true }) };
  static flags = {
    user: Flags.string({ description: 'ID of user to set the quotas for.' }),
    force: Flags.boolean({ description: 'Whether force update the quota even if the already used and reserved exceeds the new quota.' }),
    ...quotaFlags,
  };

  async run(): Promise<QuotaSet> {
    const { args, flags } = await this.parse(QuotaUpdate);
    const nova = await this.connect(flags);
    return nova.quotas.update(args.tenant, quotaUpdates(flags, nova), { userId: flags.user, force: flags.force });
  }
}
