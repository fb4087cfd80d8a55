import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { fieldColumns, formatNetworks, listRow } from '../../cli/views/server';
import { Server, ServerSummary } from '../../client/compute/servers';
import { CommandError } from '../../client/errors';
import { findFlavor } from '../../client/resolve';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export default class ServerList extends ClientCommand {
  static summary = 'List servers.';
  static aliases = ['list'];
  static flags = {
    'reservation-id': Flags.string({ description: 'Only return servers that match reservation-id.' }),
    ip: Flags.string({ description: 'Search with regular expression match by IP address.' }),
    ip6: Flags.string({ description: 'Search with regular expression match by IPv6 address.' }),
    name: Flags.string({ description: 'Search with regular expression match by name.' }),
    status: Flags.string({ description: 'Search by server status.' }),
    flavor: Flags.string({ description: 'Search by flavor name or ID.' }),
    image: Flags.string({ description: 'Search by image name or ID.' }),
    host: Flags.string({ description: 'Search servers by hostname to which they are assigned (Admin only).' }),
    'all-tenants': Flags.boolean({ env: 'ALL_TENANTS', description: 'Display information from all tenants (Admin only).' }),
    tenant: Flags.string({ description: 'Display information from single tenant (Admin only).' }),
    user: Flags.string({ description: 'Display information from single user (Admin only until microversion 2.82).' }),
    deleted: Flags.boolean({ description: 'Only display deleted servers (Admin only).' }),
    fields: Flags.string({ description: 'Comma-separated list of fields to display. Use the show command to see which fields are available.' }),
    minimal: Flags.boolean({ description: 'Get only UUID and name.' }),
    sort: Flags.string({ description: 'Comma-separated list of sort keys and directions in the form of <key>[:<asc|desc>]. The direction defaults to descending if not specified.' }),
    marker: Flags.string({ description: 'The last server UUID of the previous page; displays list of servers after "marker".' }),
    limit: Flags.integer({ description: 'Maximum number of servers to display. If limit == -1, all servers will be displayed.' }),
    'availability-zone': Flags.string({ description: 'Display servers based on their availability zone.' }),
    'key-name': Flags.string({ description: 'Display servers based on their keypair name.' }),
    'changes-since': Flags.string({ description: 'List only servers changed later or equal to a certain point of time (ISO 8601, e.g. 2016-03-04T06:27:59Z).' }),
    'changes-before': Flags.string({ description: 'List only servers changed earlier or equal to a certain point of time (API 2.66 or later).' }),
    tags: Flags.string({ description: "Servers that have all these tags (comma separated; API 2.26 or later)." }),
    'tags-any': Flags.string({ description: 'Servers that have any of these tags (API 2.26 or later).' }),
    'not-tags': Flags.string({ description: 'Servers that do not have all of these tags (API 2.26 or later).' }),
    'not-tags-any': Flags.string({ description: 'Servers that have none of these tags (API 2.26 or later).' }),
    locked: Flags.string({ description: "Display servers based on their locked value: 'true' or 'false' (API 2.73 or later)." }),
  };

  async run(): Promise<Array<Server | ServerSummary>> {
    const { flags } = await this.parse(ServerList);
    const nova = await this.connect(flags);
    const imageId = flags.image ? (await this.images(nova).find(flags.image)).id : undefined;
    const flavorId = flags.flavor ? (await findFlavor(nova, flags.flavor)).id : undefined;
    const allTenants = flags['all-tenants'] || !!flags.tenant;
    for (const [name, value] of [['changes-since', flags['changes-since']], ['changes-before', flags['changes-before']]] as const) {
      if (value && !ISO_TIME.test(value)) throw new CommandError(`Invalid ${name} value: ${value}`);
    }
    const search: Record<string, string | number | undefined> = {
      all_tenants: allTenants ? 1 : undefined, reservation_id: flags['reservation-id'], ip: flags.ip, ip6: flags.ip6, name: flags.name,
      image: imageId, flavor: flavorId, status: flags.status, tenant_id: flags.tenant, user_id: flags.user, host: flags.host,
      deleted: flags.deleted ? 'True' : undefined, 'changes-since': flags['changes-since'], availability_zone: flags['availability-zone'],
      key_name: flags['key-name'],
    };
    if (nova.supports('2.26')) Object.assign(search, { tags: flags.tags, 'tags-any': flags['tags-any'], 'not-tags': flags['not-tags'], 'not-tags-any': flags['not-tags-any'] });
    if (nova.supports('2.66')) search['changes-before'] = flags['changes-before'];
    if (flags.locked !== undefined) {
      nova.requireAtLeast('2.73', 'Filtering by --locked');
      search.locked = flags.locked;
    }
    const { keys, dirs } = parseSort(flags.sort);
    const listOpts = { search, marker: flags.marker, limit: flags.limit, sortKeys: keys, sortDirs: dirs };
    if (flags.minimal) {
      const servers = await nova.servers.list({ ...listOpts, detailed: false });
      this.printList(servers, ['ID', 'Name'], { sortBy: flags.sort ? undefined : 'Name' });
      return servers;
    }
    const servers = await nova.servers.list(listOpts);
    const embedded = nova.supports('2.47');
    const rows = servers.map((s) => listRow(s, embedded));
    const custom = flags.fields ? fieldColumns(flags.fields, rows, embedded) : undefined;
    let columns: string[];
    if (custom && custom.columns.length) columns = ['ID', ...custom.columns];
    else {
      columns = ['ID', 'Name', 'Status', 'Task State', 'Power State', 'Networks'];
      if (allTenants) columns.splice(2, 0, 'Tenant ID');
      if (flags['changes-since'] || search['changes-before']) columns.push('Updated');
    }
    this.printList(rows, columns, {
      formatters: { ...custom?.formatters, Networks: (r) => formatNetworks(r as unknown as Server) },
      sortBy: flags.sort ? undefined : columns[1],
    });
    return servers;
  }
}

/** `name:asc,created_at` -> sort keys and directions (direction defaults to desc). */
function parseSort(sort: string | undefined): { keys: string[]; dirs: string[] } {
  const keys: string[] = [];
  const dirs: string[] = [];
  for (const part of sort ? sort.split(',') : []) {
    const [key, dir] = part.split(':', 2);
    if (dir && dir !== 'asc' && dir !== 'desc') throw new CommandError(`Unknown sort direction: ${dir}`);
    keys.push(key);
    dirs.push(dir || 'desc');
  }
  return { keys, dirs };
}
