import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';

export default class QuotaDelete extends ClientCommand {
  static summary = 'Delete quota for a tenant/user so their quota will Revert back to default.';
  static aliases = ['quota-delete'];
  static flags = {
    tenant: Flags.string({ description: 'ID of tenant to delete quota for.', required: true }),
    user: Flags.string({ description: 'ID of user to delete quota for.' }),
  };

  async run(): Promise<{ tenant: string; user?: string; deleted: true }> {
    const { flags } = await this.parse(QuotaDelete);
    const nova = await this.connect(flags);
    await nova.quotas.delete(flags.tenant, flags.user);
    return { tenant: flags.tenant, user: flags.user, deleted: true };
  }
}
