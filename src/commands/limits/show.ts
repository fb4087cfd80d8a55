import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { formatList } from '../../cli/table';
import { Limits } from '../../client/compute/limits';

/** novaclient's grouping of absolute limits into one row per resource (used and max side by side). */
const ABSOLUTE: Record<string, [name: string, kind: 'max' | 'used' | 'other']> = {
  maxServerMeta: ['Server Meta', 'max'], maxPersonality: ['Personality', 'max'], maxPersonalitySize: ['Personality Size', 'max'],
  maxImageMeta: ['ImageMeta', 'max'], maxTotalKeypairs: ['Keypairs', 'max'], totalCoresUsed: ['Cores', 'used'], maxTotalCores: ['Cores', 'max'],
  totalRAMUsed: ['RAM', 'used'], maxTotalRAMSize: ['RAM', 'max'], totalInstancesUsed: ['Instances', 'used'], maxTotalInstances: ['Instances', 'max'],
  totalFloatingIpsUsed: ['FloatingIps', 'used'], maxTotalFloatingIps: ['FloatingIps', 'max'], totalSecurityGroupsUsed: ['SecurityGroups', 'used'],
  maxSecurityGroups: ['SecurityGroups', 'max'], maxSecurityGroupRules: ['SecurityGroupRules', 'max'], maxServerGroups: ['ServerGroups', 'max'],
  totalServerGroupsUsed: ['ServerGroups', 'used'], maxServerGroupMembers: ['ServerGroupMembers', 'max'],
};

export default class LimitsShow extends ClientCommand {
  static summary = 'Print rate and absolute limits.';
  static aliases = ['limits'];
  static flags = {
    tenant: Flags.string({ description: 'Display information from single tenant (Admin only).' }),
    reserved: Flags.boolean({ description: 'Include reservations count.' }),
  };

  async run(): Promise<Limits> {
    const { flags } = await this.parse(LimitsShow);
    const nova = await this.connect(flags);
    const limits = await nova.limits.get({ reserved: flags.reserved, tenantId: flags.tenant });
    const rate = (limits.rate ?? []).flatMap((g) => g.limit.map((l) => ({
      verb: l.verb, uri: g.uri, value: l.value, remain: l.remaining, unit: l.unit, next_available: l['next-available'],
    })));
    this.log(formatList(rate, ['Verb', 'URI', 'Value', 'Remain', 'Unit', 'Next_Available']));
    const rows = new Map<string, { name: string; used: unknown; max: unknown; other: unknown }>();
    let hasOther = false;
    for (const [key, value] of Object.entries(limits.absolute ?? {})) {
      const [name, kind] = ABSOLUTE[key] ?? [key, 'other'];
      const row = rows.get(name) ?? { name, used: '-', max: '-', other: '-' };
      if (kind === 'other') { row.other = value; hasOther = true; } else row[kind] = value;
      rows.set(name, row);
    }
    const sorted = [...rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.log(formatList(sorted, ['Name', 'Used', 'Max', ...(hasOther ? ['Other'] : [])]));
    return limits;
  }
}
