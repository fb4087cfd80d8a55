import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { SECGROUP_COLUMNS } from '../../cli/views/secgroup';
import { SecurityGroup } from '../../client/compute/security_groups';

export default class SecgroupList extends ClientCommand {
  static summary = 'List security groups for the current tenant.';
  static aliases = ['secgroup-list'];
  static flags = {
    'all-tenants': Flags.boolean({ env: 'ALL_TENANTS', description: 'Display information from all tenants (Admin only).' }),
  };

  async run(): Promise<SecurityGroup[]> {
    const { flags } = await this.parse(SecgroupList);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const groups = await nova.securityGroups.list({ allTenants: flags['all-tenants'] });
    this.printList(groups, flags['all-tenants'] ? [...SECGROUP_COLUMNS, 'Tenant_ID'] : SECGROUP_COLUMNS);
    return groups;
  }
}
