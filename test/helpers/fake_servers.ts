import { FLAVOR_ID, IMAGE_ID, flavorBody, proxyImageBody, serverBody } from './compute_fixtures';
import { FakeComputeApi, RecordedRequest } from './fake_api';

const TASK_STATES: Record<string, string> = { BUILD: 'spawning', REBOOT: 'rebooting', RESIZE: 'resize_migrating', REBUILD: 'rebuild_spawning' };

const NOT_FOUND = (what: string) => ({ status: 404, body: { itemNotFound: { code: 404, message: `${what} could not be found.` } } });

/**
 * A FakeComputeApi with servers, flavors and proxy images in memory, answering the routes the
 * server commands call with bodies shaped like the Compute API reference's. A server created by
 * POST /servers is BUILD for `buildPolls` GETs (progress rising), then ACTIVE.
 */
export class FakeServersApi extends FakeComputeApi {
  readonly servers = new Map<string, Record<string, unknown>>();
  readonly flavors = new Map<string, Record<string, unknown>>([[FLAVOR_ID, flavorBody({ id: FLAVOR_ID, name: 'm1.tiny' })], ['2', flavorBody({ id: '2', name: 'm1.small', ram: 2048, disk: 20 })]]);
  readonly images = new Map<string, Record<string, unknown>>([[IMAGE_ID, proxyImageBody({ id: IMAGE_ID, name: 'cirros' })]]);
  buildPolls = 2;
  /** Where a build ends; ERROR records `buildFault` on the server. */
  buildOutcome: 'ACTIVE' | 'ERROR' = 'ACTIVE';
  buildFault = 'No valid host was found. There are not enough hosts available.';
  /** Status a server moves to after an action, by action name (reboot -> REBOOT, then ACTIVE on next GET). */
  private transitions = new Map<string, string[]>();
  private created = 0;

  constructor() {
    super();
    this.serverRoutes();
  }

  addServer(id: string, name: string, extra: Partial<Parameters<typeof serverBody>[0]> = {}): Record<string, unknown> {
    const s = serverBody({ id, name, addresses: { private: [{ addr: '10.0.0.5', version: 4 }] }, ...extra });
    this.servers.set(id, s);
    return s;
  }

  /** Statuses the next GETs of this server show, in order (the last one stays). */
  script(id: string, statuses: string[]): void {
    this.transitions.set(id, [...statuses]);
  }

  private get(id: string) {
    const s = this.servers.get(id);
    if (!s) return undefined;
    const next = this.transitions.get(id);
    if (next && next.length) {
      const status = next.length > 1 ? next.shift()! : next[0];
      s.status = status;
      s['OS-EXT-STS:task_state'] = TASK_STATES[status] ?? null;
      if ('progress' in s || status === 'BUILD') s.progress = status === 'ACTIVE' ? 100 : Math.min(90, Number(s.progress ?? 0) + 40);
    }
    return s;
  }

  private summary(s: Record<string, unknown>) {
    return { id: s.id, name: s.name, links: s.links };
  }

  private serverRoutes(): void {
    // Later routes are tried first (FakeComputeApi.on): the generic ones go first.
    this.on('GET', /^\/servers\/([^/]+)$/, (_r, [id]) => {
      const s = this.get(id);
      return s ? { body: { server: s } } : NOT_FOUND(`Instance ${id}`);
    });
    this.on('GET', '/servers', (req) => {
      const name = req.query.get('name');
      const list = [...this.servers.values()].filter((s) => !name || new RegExp(name).test(String(s.name)));
      return { body: { servers: list.map((s) => this.summary(s)) } };
    });
    this.on('GET', '/servers/detail', (req) => {
      let ids = [...this.servers.keys()];
      const marker = req.query.get('marker');
      if (marker) ids = ids.slice(ids.indexOf(marker) + 1);
      const limit = Number(req.query.get('limit') ?? 1000);
      return { body: { servers: ids.slice(0, limit).map((id) => this.get(id)) } };
    });
    this.on('POST', '/servers', (req) => {
      const b = req.body.server;
      const id = `5e2b9f6c-0000-4000-8000-${String(++this.created).padStart(12, '0')}`;
      const s = this.addServer(id, b.name, { status: 'BUILD', progress: 0 });
      s.addresses = {};
      this.script(id, [...Array(this.buildPolls).fill('BUILD'), this.buildOutcome]);
      if (this.buildOutcome === 'ERROR') s.fault = { code: 500, message: this.buildFault, created: '2026-11-24T10:02:00Z' };
      return { status: 202, body: { server: { id, links: s.links, adminPass: 'Ab3dEf9Ghi', 'OS-DCF:diskConfig': 'MANUAL', security_groups: [{ name: 'default' }] } } };
    });
    this.on('PUT', /^\/servers\/([^/]+)$/, (req, [id]) => {
      const s = this.servers.get(id);
      if (!s) return NOT_FOUND(`Instance ${id}`);
      Object.assign(s, req.body.server);
      return { body: { server: s } };
    });
    this.on('DELETE', /^\/servers\/([^/]+)$/, (_r, [id]) => (this.servers.delete(id) ? { status: 204 } : NOT_FOUND(`Instance ${id}`)));
    this.on('POST', /^\/servers\/([^/]+)\/action$/, (req, [id]) => this.action(req, id));
    this.on('POST', /^\/servers\/([^/]+)\/metadata$/, (req, [id]) => {
      const s = this.servers.get(id)!;
      s.metadata = { ...(s.metadata as object), ...req.body.metadata };
      return { body: { metadata: s.metadata } };
    });
    this.on('DELETE', /^\/servers\/([^/]+)\/metadata\/([^/]+)$/, (_r, [id, key]) => {
      const meta = this.servers.get(id)!.metadata as Record<string, string>;
      if (!(key in meta)) return { status: 404, body: { itemNotFound: { code: 404, message: 'Metadata item was not found' } } };
      delete meta[key];
      return { status: 204 };
    });
    this.on('GET', /^\/servers\/([^/]+)\/tags$/, (_r, [id]) => ({ body: { tags: this.servers.get(id)!.tags } }));
    this.on('PUT', /^\/servers\/([^/]+)\/tags\/([^/]+)$/, (_r, [id, tag]) => {
      const tags = this.servers.get(id)!.tags as string[];
      if (!tags.includes(tag)) tags.push(tag);
      return { status: 201 };
    });
    this.on('DELETE', /^\/servers\/([^/]+)\/tags\/([^/]+)$/, (_r, [id, tag]) => {
      const s = this.servers.get(id)!;
      const tags = s.tags as string[];
      if (!tags.includes(tag)) return { status: 404, body: { itemNotFound: { code: 404, message: `Instance ${id} has no tag '${tag}'` } } };
      s.tags = tags.filter((t) => t !== tag);
      return { status: 204 };
    });
    this.on('GET', /^\/flavors\/([^/]+)$/, (_r, [id]) => (this.flavors.has(id) ? { body: { flavor: this.flavors.get(id) } } : NOT_FOUND(`Flavor ${id}`)));
    this.on('GET', '/flavors/detail', () => ({ body: { flavors: [...this.flavors.values()] } }));
    this.on('GET', /^\/images\/([^/]+)$/, (req, [id]) => {
      if (req.headers['openstack-api-version'] !== 'compute 2.35') return NOT_FOUND('Image proxy above 2.35');
      return this.images.has(id) ? { body: { image: this.images.get(id) } } : NOT_FOUND(`Image ${id}`);
    });
    this.on('GET', '/images/detail', (req) => {
      if (req.headers['openstack-api-version'] !== 'compute 2.35') return NOT_FOUND('Image proxy above 2.35');
      const name = req.query.get('name');
      return { body: { images: [...this.images.values()].filter((i) => !name || i.name === name) } };
    });
  }

  private action(req: RecordedRequest, id: string) {
    const s = this.servers.get(id);
    if (!s) return NOT_FOUND(`Instance ${id}`);
    const [name] = Object.keys(req.body);
    switch (name) {
      case 'reboot': this.script(id, ['REBOOT', 'ACTIVE']); return { status: 202 };
      case 'resize': this.script(id, ['RESIZE', 'VERIFY_RESIZE']); return { status: 202 };
      case 'rescue': return { body: { adminPass: req.body.rescue?.adminPass ?? 'Rescue123' } };
      case 'rebuild': this.script(id, ['REBUILD', 'ACTIVE']); return { status: 202, body: { server: { ...s, status: 'REBUILD', adminPass: 'NewPass1' } } };
      case 'os-getConsoleOutput': {
        const lines = ['line 1', 'line 2', 'line 3'];
        const n = req.body['os-getConsoleOutput'].length;
        return { body: { output: (n ? lines.slice(-n) : lines).join('\n') } };
      }
      case 'createImage': {
        const imageId = '9a9b9c9d-0000-4000-8000-00000000000a';
        this.images.set(imageId, proxyImageBody({ id: imageId, name: req.body.createImage.name, status: 'ACTIVE', serverId: id, metadata: req.body.createImage.metadata }));
        return { status: 202, body: { image_id: imageId } };
      }
      case 'lock':
        if (s.locked) return { status: 409, body: { conflictingRequest: { code: 409, message: `Instance ${id} is locked` } } };
        s.locked = true;
        s.locked_reason = req.body.lock?.locked_reason ?? null;
        return { status: 202 };
      default: return { status: 202 };
    }
  }
}
