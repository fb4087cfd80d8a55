import { strict as assert } from 'node:assert';
import { quotaSet } from '../../../src/db/api/quotas';
import { AllocationRow } from '../../../src/db/models/quota';
import { waitFor } from '../../helpers/cloud';
import { act, addCompute, bookkeeping, boot, guestsOn, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';

/** Allocations by consumer: { consumer: { node: { class: used } } }. */
async function claims(consumers: string[]): Promise<Record<string, Record<number, Record<string, number>>>> {
  const out: Record<string, Record<number, Record<string, number>>> = {};
  for (const a of await AllocationRow.findAll({ where: { consumer_id: consumers } })) {
    ((out[a.consumer_id] ??= {})[a.compute_node_id] ??= {})[a.resource_class] = a.used;
  }
  return out;
}

describe('Compute API move, image, rescue and shelve actions', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  const admin = (id: string) => cloud.request('GET', `/servers/${id}`, { version: NOW }).then((r) => r.body.server);
  const migrationsOf = async (id: string) => (await cloud.request('GET', `/os-migrations?instance_uuid=${id}`, { version: '2.80' })).body.migrations;

  before(async () => {
    cloud = await startServerCloud();
    await addCompute(cloud, 'compute-2');
  });
  after(async () => { await cloud.stop(); });

  it('rebuilds with a new image, name, metadata, key (2.54) and user data (2.57); a stopped server stays stopped', async () => {
    const id = await boot(cloud, { name: 'old', metadata: { a: '1' }, user_data: Buffer.from('one').toString('base64') }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const other = cloud.images.addActive({ name: 'ubuntu' });
    const r = await act(cloud, id, { rebuild: { imageRef: other.id, name: 'new', metadata: { b: '2' }, adminPass: 'secret', key_name: null, user_data: Buffer.from('two').toString('base64'), description: 'rebuilt' } }, { token: ALICE });
    assert.equal(r.status, 202);
    assert.equal(r.body.server.adminPass, 'secret');
    assert.equal(r.body.server.user_data, Buffer.from('two').toString('base64'));
    assert.equal(r.body.server.status, 'REBUILD');
    assert.equal(r.headers.get('location'), `${cloud.computeUrl}/servers/${id}`);
    const s = await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    assert.equal(s.image.id, other.id);
    assert.equal(s.name, 'new');
    assert.equal(s.description, 'rebuilt');
    assert.deepEqual(s.metadata, { b: '2' });
    assert.equal(s.key_name, null);
    const out = (await act(cloud, id, { 'os-getConsoleOutput': { length: 1 } }, { token: ALICE })).body.output;
    assert.match(out, new RegExp(`booted from image ${other.id}`));
    assert.equal((await act(cloud, id, { rebuild: { imageRef: '7b3c0a6e-0000-4000-8000-000000000000' } }, { token: ALICE })).body.badRequest.message, 'Cannot find image for rebuild');
    await act(cloud, id, { 'os-stop': null }, { token: ALICE });
    await waitForStatus(cloud, id, 'SHUTOFF', { token: ALICE });
    await act(cloud, id, { rebuild: { imageRef: cloud.image.id } }, { token: ALICE });
    assert.equal((await waitForStatus(cloud, id, 'SHUTOFF', { token: ALICE })).image.id, cloud.image.id);
    await act(cloud, id, { pause: null }, { token: ALICE }); // refused: stopped
    const paused = await act(cloud, id, { rebuild: { imageRef: cloud.image.id } }, { token: ALICE, version: '2.53' });
    assert.equal(paused.status, 202, 'a SHUTOFF server may be rebuilt');
    await waitForStatus(cloud, id, 'SHUTOFF', { token: ALICE });
  });

  it('resizes: claims on both nodes and the larger quota while VERIFY_RESIZE, then confirm frees the source', async () => {
    const id = await boot(cloud, { name: 'grow' }, { token: 'erin:p5' });
    await waitForStatus(cloud, id, 'ACTIVE', { token: 'erin:p5' });
    const same = await act(cloud, id, { resize: { flavorRef: '1' } }, { token: 'erin:p5' });
    assert.equal(same.body.badRequest.message, 'When resizing, instances must change flavor!');
    assert.equal((await act(cloud, id, { resize: { flavorRef: '77' } }, { token: 'erin:p5' })).body.badRequest.message, 'Flavor 77 could not be found.');
    assert.equal((await act(cloud, id, { confirmResize: null }, { token: 'erin:p5' })).body.conflictingRequest.message, `Cannot 'confirmResize' instance ${id} while it is in vm_state active`);
    assert.equal((await act(cloud, id, { resize: { flavorRef: '2' } }, { token: 'erin:p5' })).status, 202);
    const verify = await waitForStatus(cloud, id, 'VERIFY_RESIZE', { token: 'erin:p5' });
    assert.equal(verify.flavor.original_name, 'm1.small');
    const [mig] = await migrationsOf(id);
    assert.equal(mig.status, 'finished');
    assert.equal(mig.migration_type, 'resize');
    assert.deepEqual([mig.old_instance_type_id, mig.new_instance_type_id], [1, 2]);
    const held = await claims([id, mig.uuid]);
    assert.deepEqual(Object.values(held[id]), [{ VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20 }]);
    assert.deepEqual(Object.values(held[mig.uuid]), [{ VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 }]);
    assert.equal((await bookkeeping('p5')).usage.ram, 2048);
    const conf = await act(cloud, id, { confirmResize: null }, { token: 'erin:p5' });
    assert.equal(conf.status, 204, JSON.stringify(conf.body));
    const done = await waitForStatus(cloud, id, 'ACTIVE', { token: 'erin:p5' });
    assert.equal(done.flavor.original_name, 'm1.small');
    await waitFor(async () => (await migrationsOf(id))[0].status === 'confirmed', 5000, 'migration confirmed');
    assert.deepEqual(Object.keys(await claims([id, mig.uuid])), [id]);
    assert.deepEqual((({ instances, cores, ram }) => ({ instances, cores, ram }))((await bookkeeping('p5')).usage), { instances: 1, cores: 1, ram: 2048 });
    const guests = [...await guestsOn(cloud, cloud.rt.host), ...await guestsOn(cloud, 'compute-2')];
    assert.equal(guests.filter((g) => g === id).length, 1, 'the old guest went on confirm');
    assert.equal((await act(cloud, id, { confirmResize: null }, { token: 'erin:p5' })).status, 409);
  });

  it('reverts a resize: the destination claim and the extra quota go back, the old flavor returns', async () => {
    const id = await boot(cloud, { name: 'undo', flavorRef: '2' }, { token: 'fay:p6' });
    const before = await waitForStatus(cloud, id, 'ACTIVE', { token: 'fay:p6' });
    const sourceHost = (await admin(id))['OS-EXT-SRV-ATTR:host'];
    await act(cloud, id, { resize: { flavorRef: '3' } }, { token: 'fay:p6' });
    await waitForStatus(cloud, id, 'VERIFY_RESIZE', { token: 'fay:p6' });
    assert.equal((await bookkeeping('p6')).usage.ram, 4096);
    assert.equal((await bookkeeping('p6')).usage.cores, 2);
    assert.equal((await act(cloud, id, { revertResize: null }, { token: 'fay:p6' })).status, 202);
    const back = await waitForStatus(cloud, id, 'ACTIVE', { token: 'fay:p6' });
    assert.equal(back.flavor.original_name, 'm1.small');
    assert.equal(back.hostId, before.hostId);
    assert.equal((await admin(id))['OS-EXT-SRV-ATTR:host'], sourceHost);
    const [mig] = await migrationsOf(id);
    assert.equal(mig.status, 'reverted');
    const held = await claims([id, mig.uuid]);
    assert.deepEqual(Object.keys(held), [id]);
    assert.deepEqual(Object.values(held[id]), [{ VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20 }]);
    assert.deepEqual([(await bookkeeping('p6')).usage.cores, (await bookkeeping('p6')).usage.ram], [1, 2048]);
    assert.equal((await act(cloud, id, { revertResize: null }, { token: 'fay:p6' })).status, 409);
    await quotaSet('p6', 'ram', 3000);
    const over = await act(cloud, id, { resize: { flavorRef: '3' } }, { token: 'fay:p6' });
    assert.equal(over.status, 403);
    assert.equal(over.body.forbidden.message, 'Quota exceeded for ram: Requested 2048, but already used 2048 of 3000 ram');
    assert.equal((await admin(id))['OS-EXT-STS:task_state'], null);
  });

  it('rolls a resize back when no host is valid: claims, quota and state as before, with a fault', async () => {
    const id = await boot(cloud, { name: 'stay' }, { token: 'kim:p11' });
    await waitForStatus(cloud, id, 'ACTIVE', { token: 'kim:p11' });
    const host = (await admin(id))['OS-EXT-SRV-ATTR:host'];
    const other = host === 'compute-2' ? cloud.rt.host : 'compute-2';
    const services = (await cloud.request('GET', '/os-services?binary=nova-compute', { version: '2.53' })).body.services;
    const svc = services.find((x: { host: string }) => x.host === other);
    await cloud.request('PUT', `/os-services/${svc.id}`, { version: '2.53', body: { status: 'disabled' } });
    cloud.rt.conf.DEFAULT.allow_resize_to_same_host = false;
    try {
      assert.equal((await act(cloud, id, { resize: { flavorRef: '2' } }, { token: 'kim:p11' })).status, 202);
      const [mig] = await waitFor(async () => { const m = await migrationsOf(id); return m[0]?.status === 'error' ? m : undefined; }, 5000, 'migration in error');
      const s = await waitForStatus(cloud, id, 'ACTIVE', { token: 'kim:p11' });
      assert.equal(s.flavor.original_name, 'm1.tiny');
      const adminView = await admin(id);
      assert.equal(adminView['OS-EXT-SRV-ATTR:host'], host);
      assert.match(adminView.fault?.message ?? '', /^$/, 'no fault shown for an ACTIVE server');
      const held = await claims([id, mig.uuid]);
      assert.deepEqual(Object.keys(held), [id]);
      assert.deepEqual(Object.values(held[id]), [{ VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 }]);
      assert.deepEqual([(await bookkeeping('p11')).usage.cores, (await bookkeeping('p11')).usage.ram], [1, 512]);
      const action = (await cloud.request('GET', `/servers/${id}/os-instance-actions`, { version: NOW })).body.instanceActions[0];
      assert.equal(action.action, 'resize');
      const ev = (await cloud.request('GET', `/servers/${id}/os-instance-actions/${action.request_id}`, { version: NOW })).body.instanceAction.events;
      assert.equal(ev[0].event, 'conductor_migrate_server');
      assert.equal(ev[0].result, 'Error');
      assert.match(ev[0].traceback, /No valid host was found\. There are not enough hosts available\. IgnoreHosts removed 1 of 2 host\(s\).*ComputeFilter removed 1 of 1/);
    } finally {
      cloud.rt.conf.DEFAULT.allow_resize_to_same_host = true;
      await cloud.request('PUT', `/os-services/${svc.id}`, { version: '2.53', body: { status: 'enabled' } });
    }
  });

  it('cold-migrates (admin) to the other host; members get 403; a named host is checked (2.56)', async () => {
    const id = await boot(cloud, { name: 'mover' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const from = (await admin(id))['OS-EXT-SRV-ATTR:host'];
    assert.equal((await act(cloud, id, { migrate: null }, { token: ALICE })).status, 403);
    assert.equal((await act(cloud, id, { migrate: { host: from } }, { version: '2.56' })).body.badRequest.message, 'Cannot migrate to the host where the server exists.');
    assert.equal((await act(cloud, id, { migrate: { host: 'nowhere' } }, { version: '2.56' })).body.badRequest.message, 'Compute host nowhere could not be found.');
    assert.equal((await act(cloud, id, { migrate: null })).status, 202);
    await waitForStatus(cloud, id, 'VERIFY_RESIZE', { token: ALICE });
    const [mig] = await migrationsOf(id);
    assert.equal(mig.migration_type, 'migration');
    assert.equal(mig.source_compute, from);
    assert.notEqual(mig.dest_compute, from);
    await act(cloud, id, { confirmResize: null }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    assert.equal((await admin(id))['OS-EXT-SRV-ATTR:host'], mig.dest_compute);
    assert.ok(!(await guestsOn(cloud, from)).includes(id));
    assert.ok((await guestsOn(cloud, mig.dest_compute)).includes(id));
    assert.deepEqual((await cloud.request('GET', `/servers/${id}/migrations`, { version: '2.23' })).body, { migrations: [] }, 'only live migrations in progress are listed there');
    const page = await cloud.request('GET', '/os-migrations?limit=1', { version: '2.59' });
    assert.equal(page.body.migrations.length, 1);
    assert.equal(page.body.migrations[0].instance_uuid, id, 'newest first');
    assert.match(page.body.migrations_links[0].href, new RegExp(`marker=${page.body.migrations[0].uuid}`));
    const old = (await cloud.request('GET', '/os-migrations', { version: '2.1' })).body.migrations[0];
    assert.equal('migration_type' in old || 'uuid' in old, false);
    assert.equal((await cloud.request('GET', '/os-migrations', { token: ALICE })).status, 403);
  });

  it('live-migrates (admin): body by microversion, host checks; a destination that cannot take it is a pre-check error and the guest stays', async () => {
    const id = await boot(cloud, { name: 'live' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const from = (await admin(id))['OS-EXT-SRV-ATTR:host'];
    const live = (body: unknown, o: { token?: string; version?: string } = {}) => act(cloud, id, { 'os-migrateLive': body }, o);
    assert.equal((await live({ host: null, block_migration: 'auto' }, { token: ALICE })).status, 403);
    assert.equal((await live({ host: null, block_migration: 'auto' }, { version: '2.24' })).status, 400, 'auto needs 2.25');
    assert.equal((await live({ host: null, block_migration: false }, { version: '2.24' })).status, 400, 'disk_over_commit required before 2.25');
    assert.equal((await live({ host: from, block_migration: 'auto' })).body.badRequest.message, 'Cannot migrate to the host where the server exists.');
    assert.equal((await live({ host: 'nowhere', block_migration: 'auto' })).status, 404);
    // The fake driver does not live-migrate: the destination's check says so, and nothing moves.
    assert.equal((await live({ host: null, block_migration: false, disk_over_commit: false }, { version: '2.1' })).status, 202);
    const mig = await waitFor(async () => (await migrationsOf(id)).find((m: { status: string }) => m.status === 'error'), 10000, 'live migration in error');
    assert.equal(mig.migration_type, 'live-migration');
    assert.notEqual(mig.dest_compute, from);
    const s = await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    assert.equal((await admin(id))['OS-EXT-SRV-ATTR:host'], from);
    assert.ok((await guestsOn(cloud, from)).includes(id));
    const nodes = Object.keys((await claims([id]))[id] ?? {});
    assert.equal(nodes.length, 1, 'claimed on the source only');
    assert.deepEqual(await claims([mig.uuid]), {}, 'nothing left held by the migration');
    assert.equal(s.status, 'ACTIVE');
  });

  it('creates an image: Location before 2.45, image_id from 2.45, with Nova\'s snapshot properties', async () => {
    const id = await boot(cloud, { name: 'snap' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const old = await act(cloud, id, { createImage: { name: 'snap-1', metadata: { purpose: 'backup' } } }, { token: ALICE, version: '2.44' });
    assert.equal(old.status, 202);
    const imageId = old.headers.get('location')!.split('/').pop()!;
    await waitFor(async () => (await cloud.images.get({} as never, imageId)).status === 'active', 5000, 'snapshot uploaded');
    const img = await cloud.images.get({} as never, imageId);
    assert.equal(img.name, 'snap-1');
    assert.equal(img.visibility, 'private');
    assert.equal(img.disk_format, 'raw');
    assert.equal(img.properties.instance_uuid, id);
    assert.equal(img.properties.image_type, 'snapshot');
    assert.equal(img.properties.base_image_ref, cloud.image.id);
    assert.equal(img.properties.user_id, 'alice');
    assert.equal(img.properties.os_type, 'linux', 'properties of the boot image are inherited');
    assert.equal(img.properties.purpose, 'backup');
    assert.match(cloud.images.data.get(imageId)!.toString(), /fake disk/);
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const now = await act(cloud, id, { createImage: { name: 'snap-2' } }, { token: ALICE });
    assert.match(now.body.image_id, /^[0-9a-f-]{36}$/);
    assert.equal(now.headers.get('location'), null);
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const events = (await cloud.request('GET', `/servers/${id}/os-instance-actions/${now.headers.get('x-openstack-request-id')}`, { version: NOW })).body.instanceAction.events;
    assert.deepEqual(events.map((e: { event: string; result: string }) => [e.event, e.result]), [['compute_snapshot_instance', 'Success']]);
  });

  it('a failed snapshot upload deletes the image, records a fault and leaves the server ACTIVE', async () => {
    const id = await boot(cloud, { name: 'snapfail' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    cloud.images.failUploadFor.add('doomed');
    const r = await act(cloud, id, { createImage: { name: 'doomed' } }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    await waitFor(async () => !cloud.images.images.has(r.body.image_id), 5000, 'image deleted');
    const action = (await cloud.request('GET', `/servers/${id}/os-instance-actions/${r.headers.get('x-openstack-request-id')}`, { version: NOW })).body.instanceAction;
    assert.equal(action.message, 'Error');
    assert.match(action.events[0].details, /upload of doomed fails on purpose/);
  });

  it('rescues and unrescues, with adminPass and 409s', async () => {
    const id = await boot(cloud, { name: 'lost' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    assert.equal((await act(cloud, id, { unrescue: null }, { token: ALICE })).body.conflictingRequest.message, `Cannot 'unrescue' instance ${id} while it is in vm_state active`);
    const r = await act(cloud, id, { rescue: { adminPass: 'let-me-in' } }, { token: ALICE });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { adminPass: 'let-me-in' });
    await waitForStatus(cloud, id, 'RESCUE', { token: ALICE });
    assert.equal((await act(cloud, id, { rescue: null }, { token: ALICE })).status, 409);
    await act(cloud, id, { unrescue: null }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const generated = await act(cloud, id, { rescue: null }, { token: ALICE });
    assert.equal(generated.body.adminPass.length, 12);
    await waitForStatus(cloud, id, 'RESCUE', { token: ALICE });
  });

  it('shelves and offloads at once (shelved_offload_time 0): no guest, no claim, quota kept; unshelve schedules again', async () => {
    const id = await boot(cloud, { name: 'shelf' }, { token: 'gus:p7' });
    await waitForStatus(cloud, id, 'ACTIVE', { token: 'gus:p7' });
    const host = (await admin(id))['OS-EXT-SRV-ATTR:host'];
    assert.equal((await act(cloud, id, { unshelve: null }, { token: 'gus:p7' })).status, 409);
    assert.equal((await act(cloud, id, { shelve: null }, { token: 'gus:p7' })).status, 202);
    await waitForStatus(cloud, id, 'SHELVED_OFFLOADED', { token: 'gus:p7' });
    const s = await admin(id);
    assert.equal(s['OS-EXT-SRV-ATTR:host'], null);
    assert.equal(s['OS-EXT-STS:power_state'], 0);
    assert.ok(!(await guestsOn(cloud, host)).includes(id));
    assert.deepEqual(await claims([id]), {});
    assert.equal((await bookkeeping('p7')).usage.instances, 1);
    const shelvedImage = [...cloud.images.images.values()].find((i) => i.name === 'shelf-shelved')!;
    assert.equal(shelvedImage.status, 'active');
    assert.equal(shelvedImage.properties.instance_uuid, id);
    assert.equal((await act(cloud, id, { unshelve: { availability_zone: 'nova' } }, { token: 'gus:p7', version: '2.77' })).status, 202);
    const back = await waitForStatus(cloud, id, 'ACTIVE', { token: 'gus:p7' });
    assert.equal(back.pinned_availability_zone, 'nova');
    const now = (await admin(id))['OS-EXT-SRV-ATTR:host'];
    assert.ok((await guestsOn(cloud, now)).includes(id));
    assert.equal(Object.keys((await claims([id]))[id]).length, 1);
    await waitFor(async () => !cloud.images.images.has(shelvedImage.id), 5000, 'shelved image deleted');
  });

  it('shelves without offloading when shelved_offload_time is -1; offload is admin-only; AZ on unshelve only when offloaded', async () => {
    cloud.rt.conf.DEFAULT.shelved_offload_time = -1;
    try {
      const id = await boot(cloud, { name: 'keep' }, { token: ALICE });
      await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
      const host = (await admin(id))['OS-EXT-SRV-ATTR:host'];
      await act(cloud, id, { shelve: null }, { token: ALICE });
      const s = await waitForStatus(cloud, id, 'SHELVED', { token: ALICE });
      assert.equal(s['OS-EXT-STS:power_state'], 4);
      assert.ok((await guestsOn(cloud, host)).includes(id));
      const az = await act(cloud, id, { unshelve: { availability_zone: 'nova' } }, { token: ALICE, version: '2.77' });
      assert.equal(az.status, 409);
      assert.equal(az.body.conflictingRequest.message, `Specifying an availability zone or a host when unshelving server "${id}" with status "shelved" is not supported. The server status must be SHELVED_OFFLOADED.`);
      assert.equal((await act(cloud, id, { shelveOffload: null }, { token: ALICE })).status, 403);
      await act(cloud, id, { unshelve: null }, { token: ALICE });
      await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
      assert.equal((await admin(id))['OS-EXT-SRV-ATTR:host'], host);
      await act(cloud, id, { shelve: null }, { token: ALICE });
      await waitForStatus(cloud, id, 'SHELVED', { token: ALICE });
      assert.equal((await act(cloud, id, { shelveOffload: null })).status, 202);
      await waitForStatus(cloud, id, 'SHELVED_OFFLOADED', { token: ALICE });
      assert.ok(!(await guestsOn(cloud, host)).includes(id));
      const image = [...cloud.images.images.values()].find((i) => i.properties.instance_uuid === id && i.name === 'keep-shelved')!;
      assert.equal((await cloud.request('DELETE', `/servers/${id}`, { token: ALICE })).status, 204);
      await waitForGone(cloud, id, ALICE);
      assert.equal(cloud.images.images.has(image.id), false, 'the shelved snapshot goes with the server');
    } finally {
      cloud.rt.conf.DEFAULT.shelved_offload_time = 0;
    }
  });
});
