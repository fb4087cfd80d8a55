import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { buildMetadataApp } from '../../src/api/metadata/app';
import { MetadataService } from '../../src/api/metadata/service';
import { metadataSettings } from '../../src/api/metadata/settings';
import { Logger, nullLogger } from '../../src/lib/log';
import { VendorDataSettings } from '../../src/api/metadata/vendor_data';
import { Runtime } from '../../src/service/runtime';
import { instanceGet, instanceMetadataSet } from '../../src/db/api/instances';
import { InstanceRow, InstanceSystemMetadataRow } from '../../src/db/models/instance';
import { signInstanceId } from '../../src/api/metadata/requester';
import { NetworkInfo } from '../../src/drivers/driver';
import { Instance, InstanceUpdate } from '../../src/objects/instance';
import { insertInstance } from './instances';

/** One NIC on a 10.0.0.0/24-style network with a fixed IP and optionally a floating IP. */
export function oneNic(fixed: string, opts: { floating?: string; mac?: string; cidr?: string; gateway?: string; dns?: string[]; v6?: string } = {}): NetworkInfo {
  const cidr = opts.cidr ?? `${fixed.split('.').slice(0, 3).join('.')}.0/24`;
  const subnets: NetworkInfo[number]['network']['subnets'] = [{
    cidr, gateway: opts.gateway ?? `${fixed.split('.').slice(0, 3).join('.')}.1`, dns: opts.dns ?? ['8.8.8.8'],
    ips: [{ address: fixed, type: 'fixed', floating_ips: opts.floating ? [opts.floating] : [] }],
  }];
  if (opts.v6) subnets.push({ cidr: `${opts.v6.split('::')[0]}::/64`, gateway: `${opts.v6.split('::')[0]}::1`, dns: [], ips: [{ address: opts.v6, type: 'fixed' }] });
  return [{
    id: `vif-${fixed}`, address: opts.mac ?? 'fa:16:3e:00:00:01', type: 'bridge', devname: 'tap0',
    network: { id: 'net-1', bridge: 'br100', label: 'private', subnets, meta: { mtu: 1450 } },
  }];
}

export interface GuestSpec {
  project: string;
  name?: string;
  updates?: InstanceUpdate;
  metadata?: Record<string, string>;
}

/** An instance row with the fields the metadata service shows (hostname, keys, user data, NICs...). */
export async function insertGuest(spec: GuestSpec): Promise<Instance> {
  const inst = await insertInstance({ project: spec.project, name: spec.name });
  const { system_metadata: sysmeta, ...columns } = spec.updates ?? {};
  // Through the model row, so JSON columns (network_info) go through their setters exactly once.
  const row = await InstanceRow.findOne({ where: { uuid: inst.uuid } });
  await row!.update({ hostname: spec.name ?? inst.display_name, ...columns });
  if (sysmeta) {
    await InstanceSystemMetadataRow.bulkCreate(Object.entries(sysmeta).filter(([, v]) => v !== null).map(([key, value]) => ({ instance_uuid: inst.uuid, key, value })));
  }
  if (spec.metadata) await instanceMetadataSet(inst.uuid, spec.metadata, true);
  return instanceGet(inst.uuid);
}

/** The headers a metadata proxy sends for `instanceId` (signed with `secret`). */
export function proxyHeaders(secret: string, instanceId: string, tenantId: string, forwardedFor = '10.0.0.9'): Record<string, string> {
  return { 'x-instance-id': instanceId, 'x-tenant-id': tenantId, 'x-instance-id-signature': signInstanceId(secret, instanceId), 'x-forwarded-for': forwardedFor };
}

export interface MdResponse { status: number; text: string; body: Buffer; headers: http.IncomingHttpHeaders }

/** A request to the metadata service with node:http, which can pick the source address (127.0.0.x). */
export function mdRequest(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {}): Promise<MdResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, text: body.toString('utf8'), body, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * A second metadata service in this process, on the cloud's database (the models are process-wide,
 * so a second cloud cannot share them), with its own cache and trust settings.
 */
export async function extraMetadataService(rt: Runtime, o: {
  proxy?: boolean; secret?: string; useForwardedFor?: boolean; cacheS?: number; vendor?: Partial<VendorDataSettings>; log?: Logger; now?: () => number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const settings = metadataSettings(rt.conf);
  const service = new MetadataService({
    settings: { ...settings, vendor: { ...settings.vendor, ...o.vendor } }, log: o.log ?? nullLogger, cacheExpirationS: o.cacheS ?? 0, now: o.now,
    requester: { proxy: o.proxy ?? false, sharedSecret: o.secret ?? '', useForwardedFor: o.useForwardedFor ?? false },
  });
  const app = buildMetadataApp(service, nullLogger);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${addr.port}`, close: () => app.close() };
}
