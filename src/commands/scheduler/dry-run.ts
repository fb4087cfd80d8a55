import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { parseHints } from '../../cli/server_support';
import { DryRunResult } from '../../client/compute/scheduler';
import { findFlavor } from '../../client/resolve';

export default class SchedulerDryRun extends ClientCommand {
  static summary = 'Ask the scheduler where a boot would go, and why, without booting anything (admin only).';
  static aliases = ['scheduler-dry-run'];
  static examples = [
    'nova scheduler-dry-run --flavor m1.small --image cirros',
    'nova scheduler-dry-run --flavor 1 --availability-zone zone-a --hint group=GROUP_ID --min-count 3 --json',
  ];
  static flags = {
    flavor: Flags.string({ description: "Name or ID of flavor (see 'nova flavor-list').", required: true }),
    image: Flags.string({ description: "Name or ID of image (see 'nova image-list'); without it, image properties filter nothing." }),
    'availability-zone': Flags.string({ description: 'The availability zone for server placement (zone, or zone:host[:node] to force a host).' }),
    hint: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'Scheduler hint key=value, as for boot (group, same_host, different_host ...).' }),
    'min-count': Flags.integer({ description: 'How many instances to place together.', min: 1 }),
    project: Flags.string({ description: 'The project to decide for (tenant isolation); default: yours.' }),
  };

  async run(): Promise<DryRunResult> {
    const { flags } = await this.parse(SchedulerDryRun);
    const nova = await this.connect(flags);
    const flavor = await findFlavor(nova, flags.flavor);
    const image = flags.image ? await this.images(nova).find(flags.image) : undefined;
    const result = await nova.scheduler.dryRun({
      flavorRef: flavor.id, imageRef: image?.id, availability_zone: flags['availability-zone'], min_count: flags['min-count'],
      project_id: flags.project, scheduler_hints: parseHints(flags.hint ?? []),
    });
    if (this.jsonEnabled()) return result;
    this.printList(result.instances.map((r, i) => ({
      instance: i + 1, host: r.host ?? '-', hypervisor_hostname: r.hypervisor_hostname ?? '-', availability_zone: r.availability_zone ?? '-',
      alternates: r.alternates.map((a) => a.host).join(', '),
    })), ['Instance', 'Host', 'Hypervisor Hostname', 'Availability Zone', 'Alternates']);
    const last = result.instances[result.instances.length - 1];
    if (last) {
      this.printList(last.filters.map((f) => ({ filter: f.name, hosts_before: f.hosts_before, hosts_after: f.hosts_after, reasons: f.reasons.join('; ') })),
        ['Filter', 'Hosts Before', 'Hosts After', 'Reasons']);
    }
    this.write(result.valid ? `Hosts considered: ${result.hosts_total}\n` : `${result.message}\n`);
    return result;
  }
}
