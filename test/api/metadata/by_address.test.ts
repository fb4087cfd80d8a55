import { strict as assert } from 'node:assert';
import { instanceMetadataSet, instanceSoftDestroy } from '../../../src/db/api/instances';
import { InstanceRow } from '../../../src/db/models/instance';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { extraMetadataService, insertGuest, mdRequest, oneNic, proxyHeaders } from '../../helpers/metadata';

// Guests are given loopback addresses as fixed IPs: a request bound to 127.0.0.2 comes from "web".
const WEB_IP = '127.0.0.2';
const DB_IP = '127.0.0.3';
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

describe('nova-api-metadata by source address', function () {
  this.timeout(60000);
  let cloud: TestCloud;
  let trusting: { url: string; close(): Promise<void> };
  let web: Instance;
  let dbServer: Instance;
  const from = (ip: string, p: string, headers: Record<string, string> = {}, base = cloud.rt.endpoints.metadata) => mdRequest(base, p, { localAddress: ip, headers });

  before(async () => {
    cloud = await startCloud({ daemons: ['api-metadata'], overrides: { 'api.metadata_cache_expiration': '3600' } });
    web = await insertGuest({ project: 'p1', name: 'web', updates: { network_info: oneNic(WEB_IP, { cidr: '127.0.0.0/8' }) }, metadata: { v: '1' } });
    dbServer = await insertGuest({ project: 'p2', name: 'db', updates: { network_info: oneNic(DB_IP, { cidr: '127.0.0.0/8' }) } });
    // Another service on the same database, behind a proxy that sets X-Forwarded-For ([api] use_forwarded_for).
    trusting = await extraMetadataService(cloud.rt, { useForwardedFor: true });
  });
  after(async () => {
    await trusting?.close();
    await cloud?.stop();
  });

  it('answers each guest with its own metadata, found by its fixed IP', async () => {
    assert.equal((await from(WEB_IP, '/latest/meta-data/instance-id')).text, `i-${hex8(web.id)}`);
    assert.equal((await from(DB_IP, '/latest/meta-data/instance-id')).text, `i-${hex8(dbServer.id)}`);
    assert.equal((await from(WEB_IP, '/latest/meta-data/local-ipv4')).text, WEB_IP);
    assert.equal(JSON.parse((await from(DB_IP, '/openstack/latest/meta_data.json')).text).uuid, dbServer.uuid);
  });

  it('answers 404 to an address no instance has, except for the version list', async () => {
    const r = await from('127.0.0.4', '/latest/meta-data/instance-id');
    assert.equal(r.status, 404);
    assert.equal((await from('127.0.0.4', '/')).status, 200);
  });

  it('ignores X-Instance-ID and X-Forwarded-For from a guest when not configured to trust them', async () => {
    const headers = { ...proxyHeaders('', dbServer.uuid, 'p2'), 'x-forwarded-for': DB_IP };
    const r = await from(WEB_IP, '/openstack/latest/meta_data.json', headers);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).uuid, web.uuid);
    assert.ok(!r.text.includes(dbServer.uuid));
  });

  it('takes the first X-Forwarded-For address when [api] use_forwarded_for trusts the proxy', async () => {
    const base = trusting.url;
    assert.equal((await from('127.0.0.1', '/latest/meta-data/instance-id', { 'x-forwarded-for': `${DB_IP}, 10.9.9.9` }, base)).text, `i-${hex8(dbServer.id)}`);
    assert.equal((await from('127.0.0.1', '/latest/meta-data/instance-id', { 'x-forwarded-for': WEB_IP }, base)).text, `i-${hex8(web.id)}`);
    assert.equal((await from(WEB_IP, '/latest/meta-data/instance-id', {}, base)).text, `i-${hex8(web.id)}`, 'without the header, the source address');
  });

  it('caches what it shows per instance for [api] metadata_cache_expiration seconds', async () => {
    const meta = async (base: string) => JSON.parse((await from(WEB_IP, '/openstack/latest/meta_data.json', {}, base)).text).meta;
    assert.deepEqual(await meta(cloud.rt.endpoints.metadata), { v: '1' });
    await (await InstanceRow.findOne({ where: { uuid: web.uuid } }))!.update({ hostname: 'web-renamed' });
    await instanceMetadataSet(web.uuid, { v: '2' }, true);
    // Cached for an hour in the first service; the second caches nothing.
    assert.deepEqual(await meta(cloud.rt.endpoints.metadata), { v: '1' });
    assert.equal((await from(WEB_IP, '/latest/meta-data/hostname')).text, 'web.novalocal');
    assert.deepEqual(await meta(trusting.url), { v: '2' });
    assert.equal((await from(WEB_IP, '/latest/meta-data/hostname', {}, trusting.url)).text, 'web-renamed.novalocal');
  });

  it('follows an address to its new instance at once, even while the old one is cached', async () => {
    assert.equal((await from(WEB_IP, '/latest/meta-data/instance-id')).text, `i-${hex8(web.id)}`);
    await instanceSoftDestroy(web.uuid);
    const successor = await insertGuest({ project: 'p3', name: 'successor', updates: { network_info: oneNic(WEB_IP, { cidr: '127.0.0.0/8' }) } });
    assert.equal((await from(WEB_IP, '/latest/meta-data/instance-id')).text, `i-${hex8(successor.id)}`);
    assert.equal(JSON.parse((await from(WEB_IP, '/openstack/latest/meta_data.json')).text).project_id, 'p3');
  });
});
