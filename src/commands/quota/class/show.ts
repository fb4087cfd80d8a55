import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { quotaTable } from '../../../cli/quota_flags';
import { QuotaSet } from '../../../client/compute/quotas';

export default class QuotaClassShow extends ClientCommand {
  static summary = 'List the quotas for a quota class.';
  static aliases = ['quota-class-show'];
  static args = { class: Args.string({ description: 'Name of quota class to list the quotas for.', required: true }) };

  async run(): Promise<QuotaSet> {
    const { args, flags } = await this.parse(QuotaClassShow);
    const nova = await this.connect(flags);
    const quotas = await nova.quotaClasses.get(args.class);
    this.log(quotaTable(quotas));
    return quotas;
  }
}
