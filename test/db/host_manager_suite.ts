import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { aggregateCreate, aggregateDestroy, aggregateHostAdd, aggregateMetadataUpdate } from '../../src/db/api/aggregates';
import { claim, release } from '../../src/db/api/allocations';
import { computeNodeDeleteByHost, computeNodeUpsert } from '../../src/db/api/compute_nodes';
import { serviceDestroy, serviceRegister, serviceUpdate } from '../../src/db/api/services';
import { Database } from '../../src/db/database';
import { HostManager } from '../../src/scheduler/host_manager';
import { HostState } from '../../src/scheduler/host_state';
import { buildRequest, conf } from '../scheduler/fixtures';

/**
 * The scheduler's cached host states on one database: everything another process changes (claims,
 * releases, service state, nodes coming and going, aggregates) shows in the next request. Run on
 * SQLite by `npm test`, on MariaDB and PostgreSQL by the integration suite, since the change checks
 * rest on each database's timestamps.
 */
export function hostManagerSuite(name: string, url: () => string): void {
  describe(`scheduler host manager on ${name}`, function () {
    this.timeout(60000);
    let db: Database;
    const tag = `hm${process.pid}${Math.floor(Math.random() * 1000)}`;
    const hosts = [`${tag}-a`, `${tag}-b`];
    const services: number[] = [];

    const addHost = async (host: string) => {
      services.push((await serviceRegister({ host, binary: 'nova-compute', topic: 'compute' })).id);
      return computeNodeUpsert({
        host, hypervisor_hostname: host, hypervisor_type: 'fake', hypervisor_version: 1, host_ip: null, service_id: null,
        vcpus: 4, memory_mb: 4096, local_gb: 100, cpu_info: { arch: 'x86_64' }, supported_instances: [], cpu_allocation_ratio: 1, ram_allocation_ratio: 1,
        disk_allocation_ratio: 1, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0, reserved_host_cpus: 0,
      });
    };
    const mine = (all: HostState[]) => new Map(all.filter((h) => h.host.startsWith(tag)).map((h) => [h.host, h]));

    before(async () => {
      db = await Database.open(url());
      await db.sync();
      for (const h of hosts) await addHost(h);
    });
    after(async () => {
      for (const h of [...hosts, `${tag}-c`]) await computeNodeDeleteByHost(h).catch(() => undefined);
      for (const id of services) await serviceDestroy(id).catch(() => undefined);
      await db?.close();
    });

    it('sees claims and releases made elsewhere, even two on one host in the same second', async () => {
      const hm = new HostManager(conf());
      const a = mine(await hm.getHostStates()).get(hosts[0])!;
      assert.equal(a.vcpus_used, 0);
      const [u1, u2] = [randomUUID(), randomUUID()];
      assert.ok(await claim(a.compute_node_id, u1, { vcpus: 1, memory_mb: 512, disk_gb: 1 }));
      assert.equal(mine(await hm.getHostStates()).get(hosts[0])!.memory_mb_used, 512);
      assert.ok(await claim(a.compute_node_id, u2, { vcpus: 2, memory_mb: 1024, disk_gb: 1 }));
      assert.deepEqual((({ vcpus_used, memory_mb_used, num_instances }) => ({ vcpus_used, memory_mb_used, num_instances }))(mine(await hm.getHostStates()).get(hosts[0])!),
        { vcpus_used: 3, memory_mb_used: 1536, num_instances: 2 });
      await release(u1);
      await release(u2);
      assert.equal(mine(await hm.getHostStates()).get(hosts[0])!.vcpus_used, 0);
    });

    it('sees a service disabled, a node added and a node deleted', async () => {
      const hm = new HostManager(conf());
      assert.equal(mine(await hm.getHostStates()).get(hosts[1])!.service?.disabled, false);
      await serviceUpdate(services[1], { disabled: true, disabled_reason: 'test' });
      assert.equal(mine(await hm.getHostStates()).get(hosts[1])!.service?.disabled, true);
      await serviceUpdate(services[1], { disabled: false, disabled_reason: null });
      await addHost(`${tag}-c`);
      const withC = mine(await hm.getHostStates());
      assert.ok(withC.get(`${tag}-c`)?.service?.up, 'a new host is usable on its first report');
      await computeNodeDeleteByHost(`${tag}-c`);
      assert.equal(mine(await hm.getHostStates()).has(`${tag}-c`), false);
    });

    it('follows aggregates: membership, availability zone metadata and deletion', async () => {
      const hm = new HostManager(conf());
      assert.equal(mine(await hm.getHostStates()).get(hosts[0])!.availability_zone, 'nova');
      const agg = await aggregateCreate(`${tag}-agg`, {});
      await aggregateHostAdd(agg.id, hosts[0]);
      assert.deepEqual(mine(await hm.getHostStates()).get(hosts[0])!.aggregates.map((x) => x.name), [`${tag}-agg`]);
      await aggregateMetadataUpdate(agg.id, { availability_zone: `${tag}-az` });
      assert.equal(mine(await hm.getHostStates()).get(hosts[0])!.availability_zone, `${tag}-az`);
      await aggregateDestroy(agg.id);
      const back = mine(await hm.getHostStates()).get(hosts[0])!;
      assert.deepEqual([back.availability_zone, back.aggregates.length], ['nova', 0]);
    });

    it('fills instances on hosts only for the group members and hints a request names', async () => {
      const hm = new HostManager(conf());
      const a = mine(await hm.getHostStates()).get(hosts[0])!;
      const member = randomUUID();
      assert.ok(await claim(a.compute_node_id, member, { vcpus: 1, memory_mb: 256, disk_gb: 1 }));
      try {
        const grouped = buildRequest({ instance_uuids: [randomUUID()], instance_group: { uuid: 'g', policy: 'anti-affinity', members: [member] } });
        assert.deepEqual([...mine(await hm.getHostStates(grouped)).get(hosts[0])!.instance_uuids], [member]);
        assert.equal(mine(await hm.getHostStates(buildRequest())).get(hosts[0])!.instance_uuids.size, 0);
        const hinted = buildRequest({ scheduler_hints: { same_host: member } });
        assert.deepEqual([...mine(await hm.getHostStates(hinted)).get(hosts[0])!.instance_uuids], [member]);
      } finally {
        await release(member);
      }
    });
  });
}
