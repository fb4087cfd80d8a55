import { ClientCommand } from '../../cli/client_command';
import { AvailabilityZone } from '../../client/compute/availability_zones';

/** novaclient's tree: the zone, `|- host` under it, `| |- service` with its state under each host. */
function treeRows(zones: AvailabilityZone[]): Array<{ name: string; status: string }> {
  const rows: Array<{ name: string; status: string }> = [];
  for (const z of zones) {
    rows.push({ name: z.zoneName, status: z.zoneState.available ? 'available' : 'not available' });
    for (const host of Object.keys(z.hosts ?? {}).sort()) {
      rows.push({ name: `|- ${host}`, status: '' });
      for (const [svc, st] of Object.entries(z.hosts![host])) {
        rows.push({ name: `| |- ${svc}`, status: `${st.active ? 'enabled' : 'disabled'} ${st.available ? ':-)' : 'XXX'} ${st.updated_at}` });
      }
    }
  }
  return rows;
}

export default class AvailabilityZoneList extends ClientCommand {
  static summary = 'List all the availability zones.';
  static aliases = ['availability-zone-list'];

  async run(): Promise<AvailabilityZone[]> {
    const { flags } = await this.parse(AvailabilityZoneList);
    const nova = await this.connect(flags);
    const zones = await nova.availabilityZones.listBest();
    this.printList(treeRows(zones), ['Name', 'Status']);
    return zones;
  }
}
