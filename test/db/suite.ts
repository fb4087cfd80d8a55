import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { Database } from '../../src/db/database';
import { claim, release } from '../../src/db/api/allocations';
import { driverStats, requireCapability } from '../../src/compute/capabilities';
import { computeNodeUpsert } from '../../src/db/api/compute_nodes';
import { NO_CAPABILITIES } from '../../src/drivers/driver';
import { DEFAULT_FLAVORS, ensureDefaultFlavors, flavorGet, flavorList } from '../../src/db/api/flavors';
import { instanceCreate, instanceGetAll, instanceSoftDestroy, instanceUpdate, InstanceCreate } from '../../src/db/api/instances';
import { quotaReserve, quotaUsages } from '../../src/db/api/quotas';
import { serviceGet, serviceHeartbeat, serviceRegister } from '../../src/db/api/services';
import { UnexpectedTaskStateError, VirtDriverNotImplemented } from '../../src/exception';

function instanceValues(project: string, name: string): InstanceCreate {
  const flavor = { ...DEFAULT_FLAVORS[0], id: 1, extra_specs: { 'hw:cpu_policy': 'shared' } };
  return {
    uuid: randomUUID(), display_name: name, project_id: project, user_id: 'u1', vm_state: 'building', task_state: 'scheduling',
    reservation_id: 'r-1', flavor: { cur: flavor }, memory_mb: 512, vcpus: 1, root_gb: 1, image_meta: { id: 'img' },
  } as InstanceCreate;
}

/**
 * The data layer's behaviour on one database: schema from the migrations, round trips of every column
 * kind, compare-and-swap updates, and the conditional UPDATEs that keep quotas and claims exact under
 * concurrency. Run on SQLite by `npm test` and on MariaDB and PostgreSQL by the integration suite.
 */
export function databaseSuite(name: string, url: () => string): void {
  describe(`database on ${name}`, function () {
    this.timeout(120000);
    let db: Database;

    before(async () => {
      db = await Database.open(url(), { poolMax: 10 });
      await db.reset();
      const applied = await db.sync();
      assert.ok(applied.length >= 1);
    });
    after(async () => { await db?.close(); });

    it('migrates down to nothing and up again, reporting the version', async () => {
      await db.reset();
      assert.equal((await db.version()).current, null);
      await db.sync();
      const v = await db.version();
      assert.deepEqual(v.pending, []);
      assert.match(v.current ?? '', /^\d{3}_/);
    });

    it('registers a service once per host and binary and counts heartbeats', async () => {
      const a = await serviceRegister({ host: 'h1', binary: 'nova-compute', topic: 'compute' });
      const b = await serviceRegister({ host: 'h1', binary: 'nova-compute', topic: 'compute' });
      assert.equal(a.id, b.id);
      await serviceHeartbeat(a.id);
      const s = await serviceGet(a.id);
      assert.equal(s.report_count, 2);
      assert.ok(s.last_seen_up instanceof Date);
    });

    it('round-trips instances with JSON columns, metadata, tags and dates, and filters by name regex', async () => {
      await instanceCreate(instanceValues('p1', 'web-1'), { role: 'web' }, { image_disk_format: 'qcow2' }, ['a', 'b']);
      await instanceCreate(instanceValues('p1', 'db-1'), {}, {}, ['b']);
      const web = (await instanceGetAll({ project_id: 'p1', name: '^web' }))[0];
      assert.equal(web.display_name, 'web-1');
      assert.equal(web.flavor.cur.extra_specs['hw:cpu_policy'], 'shared');
      assert.deepEqual(web.metadata, { role: 'web' });
      assert.deepEqual(web.system_metadata, { image_disk_format: 'qcow2' });
      assert.deepEqual(web.tags, ['a', 'b']);
      assert.match(web.created_at, /^\d{4}-\d\d-\d\dT/);
      assert.equal((await instanceGetAll({ project_id: 'p1', tags: ['b'] })).length, 2);
      assert.equal((await instanceGetAll({ project_id: 'p1', not_tags_any: ['a'] })).length, 1);
      const page1 = await instanceGetAll({ project_id: 'p1' }, { sortKeys: ['display_name'], sortDirs: ['asc'], limit: 1 });
      const page2 = await instanceGetAll({ project_id: 'p1' }, { sortKeys: ['display_name'], sortDirs: ['asc'], limit: 1, marker: page1[0].uuid });
      assert.deepEqual([page1[0].display_name, page2[0].display_name], ['db-1', 'web-1']);
    });

    it('updates an instance only from the expected task state (compare-and-swap)', async () => {
      const inst = await instanceCreate(instanceValues('p2', 'cas'));
      const results = await Promise.allSettled([1, 2, 3].map(() =>
        instanceUpdate(inst.uuid, { task_state: 'spawning' }, { expectedTaskState: ['scheduling'] })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.ok(lost.reason instanceof UnexpectedTaskStateError);
      const gone = await instanceSoftDestroy(inst.uuid);
      assert.equal(gone.deleted, true);
      assert.equal((await instanceGetAll({ project_id: 'p2', read_deleted: 'only' })).length, 1);
    });

    it('never lets concurrent reservations pass a quota limit', async () => {
      const limits = { instances: 7, cores: -1, ram: -1 };
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => quotaReserve('p3', { instances: 1, cores: 2, ram: 512 }, limits)));
      assert.equal(outcomes.filter((o) => o === null).length, 7);
      assert.deepEqual(await quotaUsages('p3'), { instances: 7, cores: 14, ram: 3584 });
      const over = outcomes.find((o) => o !== null)!;
      assert.deepEqual({ resource: over.resource, allowed: over.allowed }, { resource: 'instances', allowed: 7 });
    });

    it('never lets concurrent claims over-commit a compute node, and releases each claim once', async () => {
      const node = await computeNodeUpsert({
        host: 'claims', hypervisor_hostname: 'claims', hypervisor_type: 'fake', hypervisor_version: 1, host_ip: null, service_id: null,
        vcpus: 4, memory_mb: 4096, local_gb: 100, cpu_info: {}, supported_instances: [], cpu_allocation_ratio: 1, ram_allocation_ratio: 1,
        disk_allocation_ratio: 1, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0, reserved_host_cpus: 0,
      });
      const consumers = Array.from({ length: 10 }, () => randomUUID());
      const won = await Promise.all(consumers.map((c) => claim(node.id, c, { vcpus: 1, memory_mb: 1024, disk_gb: 10 })));
      assert.equal(won.filter(Boolean).length, 4);
      const winners = consumers.filter((_, i) => won[i]);
      await Promise.all([...winners, ...winners].map((c) => release(c)));
      const after = await computeNodeUpsert({ ...node, service_id: null });
      assert.deepEqual([after.vcpus_used, after.memory_mb_used, after.local_gb_used, after.running_vms], [0, 0, 0, 0]);
    });

    it('keeps the driver capabilities a node reports in stats, and refuses from them; an old row refuses nothing', async () => {
      const report = {
        host: 'caps', hypervisor_hostname: 'caps-node', hypervisor_type: 'fake', hypervisor_version: 1, host_ip: null, service_id: null,
        vcpus: 4, memory_mb: 4096, local_gb: 100, cpu_info: {}, supported_instances: [], cpu_allocation_ratio: 1, ram_allocation_ratio: 1,
        disk_allocation_ratio: 1, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0, reserved_host_cpus: 0,
      };
      const inst = { uuid: randomUUID(), host: 'caps', node: 'caps-node' };
      await computeNodeUpsert(report);
      await requireCapability(inst, 'supports_pause', 'pause');
      const stats = driverStats({ name: 'x.LimitedDriver', capabilities: { ...NO_CAPABILITIES, supports_suspend: true } });
      const saved = await computeNodeUpsert({ ...report, stats });
      assert.deepEqual(saved.stats, stats);
      await requireCapability(inst, 'supports_suspend', 'suspend');
      await assert.rejects(requireCapability(inst, 'supports_pause', 'pause'),
        (e: Error) => e instanceof VirtDriverNotImplemented && e.message === 'Action pause is not implemented for this hypervisor (x.LimitedDriver).');
      await requireCapability({ ...inst, host: null, node: null }, 'supports_pause', 'pause');
    });

    it('creates the default flavors once, with private flavors hidden from other projects', async () => {
      await ensureDefaultFlavors();
      await ensureDefaultFlavors();
      const all = await flavorList({ visibleTo: 'p9' });
      assert.deepEqual(all.map((f) => f.name), ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']);
      assert.equal((await flavorGet('2')).memory_mb, 2048);
    });
  });
}
