import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

/**
 * TEST DOUBLE of a XAPI host (XenServer/XCP-ng), written from the XenAPI reference: XML-RPC calls
 * answered with {Status, Value | ErrorDescription}, references as OpaqueRef:..., int64 fields as
 * decimal strings, the documented error codes for bad sessions, handles, parameter counts and power
 * states, and the /import_raw_vdi and /export_raw_vdi handlers. It is NOT a real XAPI: nothing of the
 * XenAPI driver has been checked against one. It decodes and encodes XML-RPC with its own code (not
 * the driver's codec), so a mistake in one shows up as a failure of the other.
 */
type V = string | number | boolean | V[] | { [k: string]: V };
type Rec = Record<string, V>;

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, isArray: (name) => ['param', 'member', 'value'].includes(name) });

function decode(v: unknown): V {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if ('string' in o) return String(o.string ?? '');
  if ('int' in o || 'i4' in o) return Number(o.int ?? o.i4);
  if ('boolean' in o) return o.boolean === '1';
  if ('double' in o) return Number(o.double);
  if ('array' in o) {
    const data = (o.array as Record<string, unknown>)?.data as Record<string, unknown> | string | undefined;
    return (typeof data === 'object' && Array.isArray(data.value) ? data.value : []).map(decode);
  }
  if ('struct' in o) {
    const out: Rec = {};
    const members = (o.struct as Record<string, unknown>)?.member;
    for (const m of (Array.isArray(members) ? members : []) as Array<{ name: string; value: unknown[] }>) out[m.name] = decode(m.value[0]);
    return out;
  }
  return '';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function encode(v: V): string {
  if (typeof v === 'string') return `<value>${esc(v)}</value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') return `<value><int>${v}</int></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(encode).join('')}</data></array></value>`;
  return `<value><struct>${Object.entries(v).map(([k, x]) => `<member><name>${esc(k)}</name>${encode(x)}</member>`).join('')}</struct></value>`;
}

class Failure extends Error { constructor(readonly desc: string[]) { super(desc.join(' ')); } }

const VM_FIELDS = ['name_label', 'name_description', 'user_version', 'is_a_template', 'affinity', 'memory_static_max', 'memory_dynamic_max',
  'memory_dynamic_min', 'memory_static_min', 'VCPUs_params', 'VCPUs_max', 'VCPUs_at_startup', 'actions_after_shutdown', 'actions_after_reboot',
  'actions_after_crash', 'PV_bootloader', 'PV_kernel', 'PV_ramdisk', 'PV_args', 'PV_bootloader_args', 'PV_legacy_args', 'HVM_boot_policy',
  'HVM_boot_params', 'platform', 'PCI_bus', 'other_config', 'recommendations'];
const INT64_FIELDS = ['user_version', 'memory_static_max', 'memory_dynamic_max', 'memory_dynamic_min', 'memory_static_min', 'VCPUs_max', 'VCPUs_at_startup'];

export interface XapiDouble {
  url: string;
  /** Every call by name, for assertions. */
  calls: string[];
  vms: Map<string, Rec>;
  vdis: Map<string, Rec>;
  /** The bytes written to each VDI (the rest of its virtual_size reads as zeros). */
  vdiData: Map<string, Buffer>;
  expireSessions(): void;
  close(): Promise<void>;
}

export async function startXapiDouble(opts: { user?: string; password?: string; memoryMb?: number } = {}): Promise<XapiDouble> {
  const user = opts.user ?? 'root';
  const password = opts.password ?? 'xen<&>pw';
  const ref = () => `OpaqueRef:${randomUUID()}`;
  const sessions = new Set<string>();
  const calls: string[] = [];
  const hostRef = ref(); const metricsRef = ref(); const poolRef = ref(); const srRef = ref(); const netRef = ref();
  const cpus = [ref(), ref(), ref(), ref()];
  const memoryTotal = (opts.memoryMb ?? 16384) * 1024 * 1024;
  const vms = new Map<string, Rec>();
  const vdis = new Map<string, Rec>();
  const vdiData = new Map<string, Buffer>();
  const vbds = new Map<string, Rec>();
  const vifs = new Map<string, Rec>();
  const consoles = new Map<string, Rec>();
  let address = '127.0.0.1';
  vms.set(ref(), { uuid: randomUUID(), name_label: 'Control domain on host: xapi-double', is_control_domain: true, is_a_template: false, is_a_snapshot: false, power_state: 'Running', other_config: {}, VBDs: [], memory_static_max: '1073741824' });

  const vm = (r: V): Rec => { const v = vms.get(String(r)); if (!v) throw new Failure(['HANDLE_INVALID', 'VM', String(r)]); return v; };
  const vdi = (r: V) => { const v = vdis.get(String(r)); if (!v) throw new Failure(['HANDLE_INVALID', 'VDI', String(r)]); return v; };
  const need = (r: V, state: string) => { const v = vm(r); if (v.power_state !== state) throw new Failure(['VM_BAD_POWER_STATE', String(r), state.toLowerCase(), String(v.power_state).toLowerCase()]); return v; };
  const usedMemory = () => [...vms.values()].filter((v) => v.power_state !== 'Halted').reduce((a, v) => a + Number(v.memory_static_max), 0);
  const setPower = (r: V, state: string) => {
    const v = vm(r);
    v.power_state = state;
    if (state === 'Halted') {
      for (const c of (v.consoles as string[]) ?? []) consoles.delete(c);
      v.consoles = [];
    } else if (!(v.consoles as string[])?.length) {
      const c = ref();
      consoles.set(c, { uuid: randomUUID(), protocol: 'rfb', location: `http://${address}/console?ref=${c}`, VM: String(r), other_config: {} });
      v.consoles = [c];
    }
  };
  const newVm = (rec: Rec): string => {
    const r = ref();
    vms.set(r, { ...rec, uuid: randomUUID(), power_state: 'Halted', is_control_domain: false, is_a_snapshot: false, VBDs: [], VIFs: [], consoles: [] });
    return r;
  };
  const newVdi = (rec: Rec, data = Buffer.alloc(0)): string => {
    const r = ref();
    vdis.set(r, { ...rec, uuid: randomUUID(), VBDs: [] });
    vdiData.set(r, data);
    return r;
  };
  const plugVbd = (rec: Rec): string => {
    const v = vm(rec.VM);
    if (rec.VDI !== 'OpaqueRef:NULL') vdi(rec.VDI);
    const r = ref();
    vbds.set(r, { ...rec, uuid: randomUUID() });
    (v.VBDs as string[]).push(r);
    if (rec.VDI !== 'OpaqueRef:NULL') (vdi(rec.VDI).VBDs as string[]).push(r);
    return r;
  };

  const methods: Record<string, (...a: V[]) => V> = {
    'session.get_this_host': () => hostRef,
    'session.logout': () => '',
    'pool.get_all': () => [poolRef],
    'pool.get_default_SR': () => srRef,
    'host.get_record': (h) => {
      if (h !== hostRef) throw new Failure(['HANDLE_INVALID', 'host', String(h)]);
      return { uuid: 'b1a3c1e2-0000-4000-8000-000000000001', name_label: 'xapi-double', hostname: 'xapi-double', address, metrics: metricsRef, host_CPUs: cpus,
        software_version: { product_version: '8.2.1', product_brand: 'XCP-ng' }, cpu_info: { vendor: 'GenuineIntel', modelname: 'Test CPU', cpu_count: '4' } };
    },
    'host_metrics.get_record': () => ({ uuid: randomUUID(), memory_total: String(memoryTotal), memory_free: String(memoryTotal - usedMemory()), live: true }),
    'SR.get_record': (s) => {
      if (s !== srRef) throw new Failure(['HANDLE_INVALID', 'SR', String(s)]);
      const used = [...vdis.values()].reduce((a, d) => a + Number(d.virtual_size), 0);
      return { uuid: randomUUID(), name_label: 'Local storage', physical_size: String(500 * 2 ** 30), physical_utilisation: String(used), other_config: {} };
    },
    'SR.get_all_records': () => ({ [srRef]: methods['SR.get_record'](srRef) }),
    'network.get_all_records': () => ({ [netRef]: { uuid: randomUUID(), name_label: 'Pool-wide network associated with eth0', bridge: 'xenbr0' } }),
    'VM.get_all_records': () => Object.fromEntries([...vms.entries()].map(([r, v]) => [r, v])),
    'VM.get_record': (r) => vm(r),
    'VM.get_by_name_label': (n) => [...vms.entries()].filter(([, v]) => v.name_label === n).map(([r]) => r),
    'VM.get_by_uuid': (u) => { const e = [...vms.entries()].find(([, v]) => v.uuid === u); if (!e) throw new Failure(['UUID_INVALID', 'VM', String(u)]); return e[0]; },
    'VM.get_power_state': (r) => vm(r).power_state,
    'VM.create': (rec) => {
      const r = rec as Rec;
      for (const f of VM_FIELDS) if (!(f in r)) throw new Failure(['FIELD_TYPE_ERROR', f]);
      for (const f of INT64_FIELDS) if (typeof r[f] !== 'string' || !/^\d+$/.test(String(r[f]))) throw new Failure(['FIELD_TYPE_ERROR', f]);
      return newVm(r);
    },
    'VM.start': (r, paused, force) => {
      if (typeof paused !== 'boolean' || typeof force !== 'boolean') throw new Failure(['FIELD_TYPE_ERROR', 'start_paused']);
      const v = need(r, 'Halted');
      if (Number(v.memory_static_max) > memoryTotal - usedMemory()) throw new Failure(['HOST_NOT_ENOUGH_FREE_MEMORY', String(v.memory_static_max), String(memoryTotal - usedMemory())]);
      setPower(r, 'Running'); return '';
    },
    'VM.clean_shutdown': (r) => { need(r, 'Running'); setPower(r, 'Halted'); return ''; },
    'VM.hard_shutdown': (r) => { if (vm(r).power_state === 'Halted') throw new Failure(['VM_BAD_POWER_STATE', String(r), 'running', 'halted']); setPower(r, 'Halted'); return ''; },
    'VM.clean_reboot': (r) => { need(r, 'Running'); return ''; },
    'VM.hard_reboot': (r) => { need(r, 'Running'); return ''; },
    'VM.pause': (r) => { need(r, 'Running'); setPower(r, 'Paused'); return ''; },
    'VM.unpause': (r) => { need(r, 'Paused'); setPower(r, 'Running'); return ''; },
    'VM.suspend': (r) => { need(r, 'Running'); setPower(r, 'Suspended'); return ''; },
    'VM.resume': (r) => { need(r, 'Suspended'); setPower(r, 'Running'); return ''; },
    'VM.destroy': (r) => {
      const v = need(r, 'Halted');
      for (const b of v.VBDs as string[]) { const bd = vbds.get(b)!; vbds.delete(b); const d = vdis.get(String(bd.VDI)); if (d) d.VBDs = (d.VBDs as string[]).filter((x) => x !== b); }
      for (const f of (v.VIFs as string[]) ?? []) vifs.delete(f);
      vms.delete(String(r)); return '';
    },
    'VM.snapshot': (r, name) => {
      const v = vm(r);
      const s = newVm({ ...v, name_label: String(name), other_config: { ...(v.other_config as Rec) } });
      vm(s).is_a_snapshot = true; vm(s).snapshot_of = String(r);
      for (const b of v.VBDs as string[]) {
        const bd = vbds.get(b)!;
        const src = vdi(bd.VDI);
        const copy = newVdi({ ...src, name_label: `${String(src.name_label)} (snapshot)` }, Buffer.from(vdiData.get(String(bd.VDI)) ?? Buffer.alloc(0)));
        plugVbd({ ...bd, VM: s, VDI: copy });
      }
      return s;
    },
    'VM.set_memory_limits': (r, smin, smax, dmin, dmax) => {
      const v = need(r, 'Halted');
      const [a, b, c, d] = [smin, smax, dmin, dmax].map(Number);
      if (!(a <= c && c <= d && d <= b)) throw new Failure(['MEMORY_CONSTRAINT_VIOLATION', 'Memory limits must satisfy: static_min <= dynamic_min <= dynamic_max <= static_max']);
      Object.assign(v, { memory_static_min: String(smin), memory_static_max: String(smax), memory_dynamic_min: String(dmin), memory_dynamic_max: String(dmax) });
      return '';
    },
    'VM.set_VCPUs_max': (r, n) => {
      const v = need(r, 'Halted');
      if (Number(n) < Number(v.VCPUs_at_startup)) throw new Failure(['VALUE_NOT_SUPPORTED', 'VCPUs_max', String(n), 'VCPUs_max must be >= VCPUs_at_startup']);
      v.VCPUs_max = String(n); return '';
    },
    'VM.set_VCPUs_at_startup': (r, n) => {
      const v = vm(r);
      if (Number(n) > Number(v.VCPUs_max)) throw new Failure(['VALUE_NOT_SUPPORTED', 'VCPUs_at_startup', String(n), 'VCPUs_at_startup must be <= VCPUs_max']);
      v.VCPUs_at_startup = String(n); return '';
    },
    'VM.get_consoles': (r) => (vm(r).consoles as string[]) ?? [],
    'console.get_record': (c) => { const x = consoles.get(String(c)); if (!x) throw new Failure(['HANDLE_INVALID', 'console', String(c)]); return x; },
    'VDI.create': (rec) => {
      const r = rec as Rec;
      if (r.SR !== srRef) throw new Failure(['HANDLE_INVALID', 'SR', String(r.SR)]);
      if (typeof r.virtual_size !== 'string') throw new Failure(['FIELD_TYPE_ERROR', 'virtual_size']);
      return newVdi(r);
    },
    'VDI.get_record': (r) => vdi(r),
    'VDI.destroy': (r) => {
      const d = vdi(r);
      if ((d.VBDs as string[]).length) throw new Failure(['VDI_IN_USE', String(r), 'destroy']);
      vdis.delete(String(r)); vdiData.delete(String(r)); return '';
    },
    'VDI.resize': (r, size) => {
      const d = vdi(r);
      if (Number(size) < Number(d.virtual_size)) throw new Failure(['VDI_SIZE_TOO_SMALL', String(r), String(size)]);
      d.virtual_size = String(size); return '';
    },
    'VBD.create': (rec) => plugVbd(rec as Rec),
    'VBD.get_record': (r) => { const b = vbds.get(String(r)); if (!b) throw new Failure(['HANDLE_INVALID', 'VBD', String(r)]); return b; },
    'VIF.create': (rec) => {
      const r = rec as Rec;
      const v = vm(r.VM);
      if (r.network !== netRef) throw new Failure(['HANDLE_INVALID', 'network', String(r.network)]);
      const f = ref(); vifs.set(f, { ...r, uuid: randomUUID() }); (v.VIFs as string[]).push(f); return f;
    },
  };
  const arity: Record<string, number> = { 'VM.set_memory_limits': 5, 'VM.start': 3, 'VM.resume': 3, 'VM.snapshot': 2, 'VM.set_VCPUs_max': 2, 'VM.set_VCPUs_at_startup': 2, 'VDI.resize': 2, 'session.get_this_host': 1 };

  const rpc = (method: string, params: V[]): V => {
    calls.push(method);
    if (method === 'session.login_with_password') {
      if (params.length !== 4 && params.length !== 2) throw new Failure(['MESSAGE_PARAMETER_COUNT_MISMATCH', method, '4', String(params.length)]);
      if (params[0] !== user || params[1] !== password) throw new Failure(['SESSION_AUTHENTICATION_FAILED', String(params[0]), 'Authentication failure']);
      const s = ref(); sessions.add(s); return s;
    }
    const fn = methods[method];
    if (!fn) throw new Failure(['MESSAGE_METHOD_UNKNOWN', method]);
    const [session, ...args] = params;
    if (!sessions.has(String(session))) throw new Failure(['SESSION_INVALID', String(session)]);
    const want = arity[method] ?? (['VM.get_all_records', 'pool.get_all', 'SR.get_all_records', 'network.get_all_records'].includes(method) ? 0 : 1);
    if (args.length !== want) throw new Failure(['MESSAGE_PARAMETER_COUNT_MISMATCH', method, String(want + 1), String(params.length)]);
    if (method === 'session.logout') sessions.delete(String(session));
    return fn(...args);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (url.pathname === '/import_raw_vdi' || url.pathname === '/export_raw_vdi') {
        if (!sessions.has(url.searchParams.get('session_id') ?? '')) { res.writeHead(401).end(); return; }
        const vdiRef = url.searchParams.get('vdi') ?? '';
        const d = vdis.get(vdiRef);
        if (!d) { res.writeHead(404).end('VDI not found'); return; }
        if (url.searchParams.get('format') && url.searchParams.get('format') !== 'raw') { res.writeHead(400).end('format'); return; }
        if (req.method === 'PUT' && url.pathname === '/import_raw_vdi') {
          if (body.length > Number(d.virtual_size)) { res.writeHead(400).end('VDI_TOO_SMALL'); return; }
          vdiData.set(vdiRef, body); res.writeHead(200).end(); return;
        }
        if (req.method === 'GET' && url.pathname === '/export_raw_vdi') {
          const size = Number(d.virtual_size);
          res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
          const data = vdiData.get(vdiRef) ?? Buffer.alloc(0);
          res.write(data);
          let left = size - data.length;
          const zero = Buffer.alloc(64 * 1024);
          while (left > 0) { const n = Math.min(left, zero.length); res.write(zero.subarray(0, n)); left -= n; }
          res.end(); return;
        }
        res.writeHead(405).end(); return;
      }
      if (req.method !== 'POST' || url.pathname !== '/') { res.writeHead(404).end(); return; }
      let answer: V;
      try {
        const doc = parser.parse(body.toString('utf8'));
        const call = doc.methodCall;
        const params = ((call.params?.param ?? []) as Array<{ value: unknown[] }>).map((p) => decode(p.value[0]));
        answer = { Status: 'Success', Value: rpc(String(call.methodName), params) };
      } catch (e) {
        answer = { Status: 'Failure', ErrorDescription: e instanceof Failure ? e.desc : ['INTERNAL_ERROR', (e as Error).message] };
      }
      res.writeHead(200, { 'content-type': 'text/xml' }).end(`<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>${encode(answer)}</param>\n</params>\n</methodResponse>\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`, calls, vms, vdis, vdiData,
    expireSessions: () => sessions.clear(),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
