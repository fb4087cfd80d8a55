import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { parseNics } from '../../cli/nics';
import { parseHints, parseKeyValues, pollFlags, pollServer, readUserData } from '../../cli/server_support';
import { serverDetails } from '../../cli/views/server';
import { Server, ServerCreateRequest } from '../../client/compute/servers';
import { CommandError } from '../../client/errors';
import { findFlavor } from '../../client/resolve';

export default class ServerCreate extends ClientCommand {
  static summary = 'Boot a new server.';
  static aliases = ['boot'];
  static examples = [
    'nova boot --flavor m1.small --image cirros --key-name mykey --nic none vm1',
    'nova boot --flavor 1 --image cirros --min-count 2 --meta role=web --poll web',
  ];
  static args = { name: Args.string({ description: 'Name for the new server.', required: true }) };
  static flags = {
    flavor: Flags.string({ description: "Name or ID of flavor (see 'nova flavor-list')." }),
    image: Flags.string({ description: "Name or ID of image (see 'nova image-list')." }),
    'min-count': Flags.integer({ description: 'Boot at least <number> servers (limited by quota).' }),
    'max-count': Flags.integer({ description: 'Boot up to <number> servers (limited by quota).' }),
    meta: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'Record arbitrary key/value metadata (key=value) to /meta_data.json on the metadata server. Can be specified multiple times.' }),
    'key-name': Flags.string({ env: 'NOVACLIENT_DEFAULT_KEY_NAME', description: 'Key name of keypair that should be created earlier with the command keypair-add.' }),
    'user-data': Flags.string({ description: 'user data file to pass to be exposed by the metadata server.' }),
    'availability-zone': Flags.string({ description: 'The availability zone for server placement.' }),
    'security-groups': Flags.string({ description: 'Comma separated list of security group names.' }),
    hint: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'Send arbitrary key/value pairs (key=value) to the scheduler for custom use.' }),
    nic: Flags.string({
      multiple: true, multipleNonGreedy: true,
      description: 'Create a NIC on the server: auto, none, or net-id=net-uuid,port-id=port-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag. Default (2.37+): auto.',
    }),
    'config-drive': Flags.string({ description: 'Enable config drive. The value must be a boolean value.' }),
    'admin-pass': Flags.string({ description: 'Admin password for the instance.' }),
    'access-ip-v4': Flags.string({ description: 'Alternative access IPv4 of the instance.' }),
    'access-ip-v6': Flags.string({ description: 'Alternative access IPv6 of the instance.' }),
    description: Flags.string({ description: 'Description for the server (API 2.19 or later).' }),
    tags: Flags.string({ description: 'Tags for the server. Tags must be separated by commas: --tags <tag1,tag2> (API 2.52 or later).' }),
    hostname: Flags.string({ description: 'Hostname for the instance, as the metadata server shows it (API 2.90 or later).' }),
    'return-reservation-id': Flags.boolean({ description: 'Return a reservation id bound to created servers.' }),
    ...pollFlags,
  };

  async run(): Promise<Server | { reservation_id: string }> {
    const { args, flags } = await this.parse(ServerCreate);
    if (!flags.flavor) throw new CommandError('you need to specify a Flavor ID.');
    const counts = checkCounts(flags['min-count'], flags['max-count']);
    const nova = await this.connect(flags);
    if (flags.description !== undefined) nova.requireAtLeast('2.19', 'A server description');
    if (flags.tags !== undefined) nova.requireAtLeast('2.52', 'Tagging at boot');
    if (flags.hostname !== undefined) nova.requireAtLeast('2.90', 'A server hostname');
    const image = flags.image ? await this.images(nova).find(flags.image) : undefined;
    const flavor = await findFlavor(nova, flags.flavor);
    if (!image) {
      throw new CommandError('you need to specify at least one source ID (Image, Snapshot, or Volume), a block device mapping or provide a set of properties to match against an image');
    }
    const req: ServerCreateRequest = {
      name: args.name, imageRef: image.id, flavorRef: flavor.id, ...counts,
      metadata: parseKeyValues(flags.meta), key_name: flags['key-name'],
      user_data: flags['user-data'] ? readUserData(flags['user-data']) : undefined,
      availability_zone: flags['availability-zone'],
      security_groups: flags['security-groups']?.split(','),
      networks: parseNics(flags.nic ?? [], nova),
      scheduler_hints: parseHints(flags.hint ?? []),
      config_drive: parseConfigDrive(flags['config-drive']),
      adminPass: flags['admin-pass'], accessIPv4: flags['access-ip-v4'], accessIPv6: flags['access-ip-v6'],
      description: flags.description, tags: flags.tags?.split(','), hostname: flags.hostname,
      return_reservation_id: flags['return-reservation-id'],
    };
    const created = await nova.servers.create(req);
    if ('reservation_id' in created) {
      this.printDict({ reservation_id: created.reservation_id });
      return created;
    }
    // The create answer is a stub; show the server as novaclient does, with the admin password kept.
    const server: Server = { ...(await nova.servers.get(created.server.id)), ...(created.server.adminPass ? { adminPass: created.server.adminPass } : {}) };
    if (!this.jsonEnabled()) this.printDict(await serverDetails(nova, this.images(nova), server));
    if (flags.poll) {
      const done = await pollServer(nova, server.id, 'building', ['active'], { intervalSeconds: flags['poll-interval'], write: (t) => this.write(t) });
      return { ...done, ...(server.adminPass ? { adminPass: server.adminPass } : {}) };
    }
    return server;
  }
}

function checkCounts(min?: number, max?: number): { min_count: number; max_count: number } {
  if (min !== undefined && min < 1) throw new CommandError('min_count should be >= 1');
  if (max !== undefined && max < 1) throw new CommandError('max_count should be >= 1');
  if (min !== undefined && max !== undefined && min > max) throw new CommandError('min_count should be <= max_count');
  const minCount = min ?? 1;
  return { min_count: minCount, max_count: max ?? minCount };
}

function parseConfigDrive(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (['false', '0', '', 'none'].includes(s)) return undefined;
  throw new CommandError("The value of the '--config-drive' option must be a boolean value.");
}
