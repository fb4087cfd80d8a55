import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { quotaFlags, quotaUpdates } from '../../../cli/quota_flags';
import { QuotaSet } from '../../../client/compute/quotas';

export default class QuotaClassUpdate extends ClientCommand {
  static summary = 'Update the quotas for a quota class.';
  static aliases = ['quota-class-update'];
  static args = { class: Args.string({ description: 'Name of quota class to set the quotas for.', required: true }) };
  static flags = { ...quotaFlags };

  async run(): Promise<QuotaSet> {
    const { args, flags } = await this.parse(QuotaClassUpdate);
    const nova = await this.connect(flags);
    return nova.quotaClasses.update(args.class, quotaUpdates(flags, nova, true));
  }
}
