import { ComputeCaller, seg } from './caller';

export interface Link { rel: string; href: string; type?: string }

/** An address of a server on one network. */
export interface ServerAddress {
  version: 4 | 6;
  addr: string;
  'OS-EXT-IPS:type'?: 'fixed' | 'floating';
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

/** The flavor inside a server: a link before 2.47, the flavor's values since. */
export type ServerFlavor =
  | { id: string; links: Link[] }
  | { original_name: string; vcpus: number; ram: number; disk: number; ephemeral: number; swap: number; extra_specs?: Record<string, string> };

/** A server as `GET /servers/{id}` and `/servers/detail` show it (fields vary by microversion and policy). */
export interface Server {
  id: string;
  name: string;
  status: string;
  tenant_id: string;
  user_id: string;
  metadata: Record<string, string>;
  hostId: string;
  image: { id: string; links?: Link[] } | '';
  flavor: ServerFlavor;
  created: string;
  updated: string;
  addresses: Record<string, ServerAddress[]>;
  accessIPv4: string;
  accessIPv6: string;
  links: Link[];
  key_name: string | null;
  progress?: number;
  security_groups?: Array<{ name: string }>;
  'OS-EXT-STS:task_state'?: string | null;
  'OS-EXT-STS:vm_state'?: string;
  'OS-EXT-STS:power_state'?: number;
  'OS-EXT-SRV-ATTR:host'?: string | null;
  'OS-EXT-SRV-ATTR:instance_name'?: string;
  'OS-EXT-AZ:availability_zone'?: string;
  locked?: boolean;
  description?: string | null;
  tags?: string[];
  fault?: { code: number; message: string; created: string; details?: string };
  [field: string]: unknown;
}

/** A server of the non-detailed list. */
export interface ServerSummary { id: string; name: string; links: Link[] }

/** A network request of server create: one NIC. */
export interface NetworkRequest { uuid?: string; port?: string; fixed_ip?: string; tag?: string }

/** What `nova boot` asks for; the client builds the create body from it. */
export interface ServerCreateRequest {
  name: string;
  imageRef: string;
  flavorRef: string;
  min_count?: number;
  max_count?: number;
  key_name?: string;
  /** Raw user data; sent base64-encoded. */
  user_data?: string | Buffer;
  metadata?: Record<string, string>;
  availability_zone?: string;
  /** 'auto' / 'none' (2.37+) or a list of NICs. */
  networks?: 'auto' | 'none' | NetworkRequest[];
  description?: string;
  tags?: string[];
  security_groups?: string[];
  config_drive?: boolean;
  adminPass?: string;
  accessIPv4?: string;
  accessIPv6?: string;
  hostname?: string;
  return_reservation_id?: boolean;
  scheduler_hints?: Record<string, string | string[]>;
  block_device_mapping_v2?: Array<Record<string, unknown>>;
}

/** The create answer: the new server's id (and admin password), or the reservation id. */
export type ServerCreateResponse =
  | { server: { id: string; links: Link[]; adminPass?: string; 'OS-DCF:diskConfig'?: string; security_groups?: Array<{ name: string }> } }
  | { reservation_id: string };

export interface ServerListOptions {
  detailed?: boolean;
  /** Filters sent as they are (name, status, all_tenants, changes-since, tags ...); empty values dropped. */
  search?: Record<string, string | number | boolean | undefined | null>;
  marker?: string;
  /** -1: every page. */
  limit?: number;
  sortKeys?: string[];
  sortDirs?: string[];
}

export class ServersApi {
  constructor(private readonly c: ComputeCaller) {}

  /** Lists servers; with `limit: -1`, follows markers until the server has no more. */
  async list(opts: ServerListOptions & { detailed: false }): Promise<ServerSummary[]>;
  async list(opts?: ServerListOptions): Promise<Server[]>;
  async list(opts: ServerListOptions = {}): Promise<Server[] | ServerSummary[]> {
    const detailed = opts.detailed ?? true;
    const out: ServerSummary[] = [];
    let marker = opts.marker;
    for (;;) {
      const pairs: Array<[string, string]> = [];
      for (const [k, v] of Object.entries(opts.search ?? {})) if (v !== undefined && v !== null && v !== '' && v !== false) pairs.push([k, String(v)]);
      if (marker) pairs.push(['marker', marker]);
      if (opts.limit && opts.limit !== -1) pairs.push(['limit', String(opts.limit)]);
      for (const k of opts.sortKeys ?? []) pairs.push(['sort_key', k]);
      for (const d of opts.sortDirs ?? []) pairs.push(['sort_dir', d]);
      // Stable order (by key) so the same command always sends the same URL, as novaclient does.
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const page = (await this.c.call<{ servers: ServerSummary[] }>('GET', detailed ? '/servers/detail' : '/servers', { query: pairs })).body.servers;
      out.push(...page);
      if (page.length === 0 || opts.limit !== -1) break;
      // A server that ignores the marker would answer the same page forever.
      if (page[page.length - 1].id === marker) break;
      marker = page[page.length - 1].id;
    }
    return out;
  }

  async get(id: string): Promise<Server> {
    return (await this.c.call<{ server: Server }>('GET', `/servers/${seg(id)}`)).body.server;
  }

  async create(req: ServerCreateRequest): Promise<ServerCreateResponse> {
    return (await this.c.call<ServerCreateResponse>('POST', '/servers', { body: createBody(req) })).body;
  }

  /** Renames or re-describes (description `null` removes it, 2.19+). */
  async update(id: string, changes: { name?: string; description?: string | null; hostname?: string }): Promise<Server> {
    return (await this.c.call<{ server: Server }>('PUT', `/servers/${seg(id)}`, { body: { server: changes } })).body.server;
  }

  async delete(id: string): Promise<void> {
    await this.c.call('DELETE', `/servers/${seg(id)}`);
  }
}

/** The `POST /servers` body novaclient sends for the same request. */
export function createBody(req: ServerCreateRequest): Record<string, unknown> {
  const minCount = req.min_count ?? 1;
  const server: Record<string, unknown> = {
    name: req.name, imageRef: req.imageRef, flavorRef: req.flavorRef, min_count: minCount, max_count: req.max_count ?? minCount,
  };
  if (req.user_data !== undefined) server.user_data = Buffer.from(req.user_data).toString('base64');
  if (req.metadata && Object.keys(req.metadata).length) server.metadata = req.metadata;
  if (req.return_reservation_id) server.return_reservation_id = true;
  if (req.key_name) server.key_name = req.key_name;
  if (req.config_drive) server.config_drive = true;
  if (req.adminPass) server.adminPass = req.adminPass;
  if (req.security_groups?.length) server.security_groups = req.security_groups.map((name) => ({ name }));
  if (req.availability_zone) server.availability_zone = req.availability_zone;
  if (req.block_device_mapping_v2?.length) server.block_device_mapping_v2 = req.block_device_mapping_v2;
  if (req.networks !== undefined) server.networks = req.networks;
  if (req.accessIPv4 !== undefined) server.accessIPv4 = req.accessIPv4;
  if (req.accessIPv6 !== undefined) server.accessIPv6 = req.accessIPv6;
  if (req.description) server.description = req.description;
  if (req.tags?.length) server.tags = req.tags;
  if (req.hostname) server.hostname = req.hostname;
  const body: Record<string, unknown> = { server };
  if (req.scheduler_hints && Object.keys(req.scheduler_hints).length) body['os:scheduler_hints'] = req.scheduler_hints;
  return body;
}
