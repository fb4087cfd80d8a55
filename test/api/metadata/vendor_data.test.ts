import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadConfig } from '../../../src/conf/loader';
import { create as createMetadataDaemon } from '../../../src/daemons/api_metadata';
import { Logger, nullLogger } from '../../../src/lib/log';
import { Runtime } from '../../../src/service/runtime';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { extraMetadataService, insertGuest, mdRequest, proxyHeaders } from '../../helpers/metadata';

const SECRET = 'vd-secret';
const STATIC = { 'cloud-init': '#cloud-config\npackages: [htop]\n', region: 'test' };

/** Log lines kept for assertions. */
function recordingLogger(lines: string[]): Logger {
  const l: Logger = {
    debug() {}, info() {}, warn(m) { lines.push(`WARN ${m}`); }, error(m) { lines.push(`ERROR ${m}`); }, child: () => l,
  };
  return l;
}

describe('vendor data: StaticJSON file and DynamicJSON targets', function () {
  this.timeout(60000);
  let cloud: TestCloud;
  let guest: Instance;
  let target: http.Server;
  let targetUrl: string;
  const received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: unknown }> = [];
  const vendorFile = () => path.join(cloud.statePath, 'vendor_data.json');

  before(async () => {
    // A vendordata service: /good answers, /broken fails, /slow never answers, /text is not JSON.
    target = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body) });
        if (req.url === '/good') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'abc', for: JSON.parse(body)['instance-id'] }));
        else if (req.url === '/broken') res.writeHead(500).end('oops');
        else if (req.url === '/text') res.writeHead(200).end('not json');
        // /slow: no answer; the read timeout ends it.
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    cloud = await startCloud({ daemons: ['api-metadata'], overrides: { 'neutron.service_metadata_proxy': 'true', 'neutron.metadata_proxy_shared_secret': SECRET } });
    fs.writeFileSync(vendorFile(), JSON.stringify(STATIC));
    guest = await insertGuest({
      project: 'p1', name: 'vd', metadata: { k: 'v' },
      updates: { user_data: Buffer.from('hello').toString('base64'), image_ref: 'img-1', system_metadata: { boot_roles: 'member,reader' } },
    });
  });
  after(async () => {
    target?.closeAllConnections();
    target?.close();
    await cloud?.stop();
  });

  const get = (url: string, p: string) => mdRequest(url, p, { headers: proxyHeaders(SECRET, guest.uuid, 'p1') });

  it('serves the StaticJSON file as vendor_data.json and under "static" in vendor_data2.json', async () => {
    const svc = await extraMetadataService(cloud.rt, { proxy: true, secret: SECRET, vendor: { jsonfilePath: vendorFile() } });
    try {
      assert.deepEqual(JSON.parse((await get(svc.url, '/openstack/latest/vendor_data.json')).text), STATIC);
      assert.deepEqual(JSON.parse((await get(svc.url, '/openstack/2013-10-17/vendor_data.json')).text), STATIC);
      assert.equal((await get(svc.url, '/openstack/2013-04-04/vendor_data.json')).status, 404);
      assert.deepEqual(JSON.parse((await get(svc.url, '/openstack/latest/vendor_data2.json')).text), { static: STATIC });
    } finally { await svc.close(); }
  });

  it("POSTs Nova's body to each dynamic target and files the answers by name; failures give {} and are logged", async () => {
    const lines: string[] = [];
    const svc = await extraMetadataService(cloud.rt, {
      proxy: true, secret: SECRET, log: recordingLogger(lines),
      vendor: {
        providers: ['StaticJSON', 'DynamicJSON'], jsonfilePath: vendorFile(), readTimeoutS: 1,
        dynamicTargets: [`good@${targetUrl}/good`, `broken@${targetUrl}/broken`, `slow@${targetUrl}/slow`, `text@${targetUrl}/text`,
          'refused@http://127.0.0.1:1/', `static@${targetUrl}/good`, `nameless-${targetUrl}`, `good@${targetUrl}/broken`],
      },
    });
    received.length = 0;
    try {
      const r = await get(svc.url, '/openstack/latest/vendor_data2.json');
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.text), { static: STATIC, good: { token: 'abc', for: guest.uuid }, broken: {}, slow: {}, text: {}, refused: {} });
      const good = received.find((x) => x.path === '/good')!;
      assert.deepEqual(good.body, {
        'project-id': 'p1', 'instance-id': guest.uuid, 'image-id': 'img-1', 'user-data': Buffer.from('hello').toString('base64'),
        hostname: 'vd', metadata: { k: 'v' }, 'boot-roles': 'member,reader',
      });
      assert.equal(good.headers['content-type'], 'application/json');
      assert.equal(good.headers['user-agent'], 'openstack-nova-vendordata');
      assert.equal(received.filter((x) => x.path === '/broken').length, 1, 'the second "good" entry was skipped, not asked');
      for (const name of ['broken', 'slow', 'text', 'refused']) assert.ok(lines.some((l) => l.includes(`dynamic vendordata service ${name} at`)), `${name}: ${lines.join('\n')}`);
      assert.ok(lines.some((l) => l.includes('lacks a name')));
      assert.ok(lines.some((l) => l.includes('already has an entry named good')));
      // The static "static" entry wins over a dynamic target of that name (asked, then dropped).
      assert.equal(received.filter((x) => x.path === '/good').length, 2);
      assert.equal((await get(svc.url, '/openstack/latest/vendor_data.json')).status, 200);
      assert.equal((await get(svc.url, '/openstack/2016-06-30/vendor_data2.json')).status, 404);
    } finally { await svc.close(); }
  });

  it('fails the request (500) when [api] vendordata_dynamic_failure_fatal and a target fails', async () => {
    const svc = await extraMetadataService(cloud.rt, {
      proxy: true, secret: SECRET, log: recordingLogger([]),
      vendor: { providers: ['DynamicJSON'], dynamicTargets: [`broken@${targetUrl}/broken`], failureFatal: true },
    });
    try {
      const r = await get(svc.url, '/openstack/latest/vendor_data2.json');
      assert.equal(r.status, 500);
      assert.match(r.text, /An unknown error has occurred/);
      assert.equal((await get(svc.url, '/openstack/latest/vendor_data.json')).status, 404, 'no StaticJSON provider');
      assert.equal((await get(svc.url, '/openstack/latest/meta_data.json')).status, 200);
    } finally { await svc.close(); }
  });

  it('refuses to start with settings that cannot work, naming the option', async () => {
    const daemon = (overrides: Record<string, string>) => createMetadataDaemon(new Runtime(loadConfig({ overrides: { state_path: cloud.statePath, ...overrides } }), nullLogger));
    await assert.rejects(daemon({ 'api.vendordata_jsonfile_path': path.join(cloud.statePath, 'missing.json') }),
      /\[api\] vendordata_jsonfile_path .*missing\.json cannot be read \(ENOENT\)/);
    fs.writeFileSync(path.join(cloud.statePath, 'bad.json'), '{nope');
    await assert.rejects(daemon({ 'api.vendordata_jsonfile_path': path.join(cloud.statePath, 'bad.json') }), /is not valid JSON/);
    await assert.rejects(daemon({ 'api.vendordata_providers': 'StaticJSON,Magic' }), /\[api\] vendordata_providers: unknown provider\(s\) Magic/);
    await assert.rejects(daemon({ 'neutron.service_metadata_proxy': 'true' }), /metadata_proxy_shared_secret is empty/);
  });
});
