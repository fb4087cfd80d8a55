import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeNodeGetAll } from '../../../src/db/api/compute_nodes';
import { quotaUsages } from '../../../src/db/api/quotas';
import { serviceGetAll } from '../../../src/db/api/services';
import { AllocationRow } from '../../../src/db/models/quota';
import { startDaemonProcess, writeConf } from '../../helpers/cli';
import { waitFor } from '../../helpers/cloud';
import { scratchPostgres } from '../../helpers/pg_scratch';
import { addCompute, NOW, ServerCloud, startServerCloud } from '../../helpers/servers';
import { BROKER_URL, ensureBroker, rabbitmqctl } from '../rpc/broker';

const HOSTS = 20;
const BOOTS = 200;
const PROJECT = 'scale';

/** What a server's flavor (embedded since 2.47) claims. */
const claimOf = (s: { flavor: { vcpus: number; ram: number; disk: number } }) => ({ vcpus: s.flavor.vcpus, memory_mb: s.flavor.ram, disk_gb: s.flavor.disk });

/**
 * Issue #5's scale proof: 200 boots at once on 20 small fake hosts, placed by two scheduler
 * processes that share only PostgreSQL and RabbitMQ (their own vhost and database here). The API,
 * conductor and the 20 nova-compute services run in this process on the same broker and database.
 * Capacity is well under the demand, so the claims race for the last slots on every host.
 */
describe('200 concurrent boots on 20 tight hosts with two scheduler processes', function () {
  this.timeout(300000);
  const tag = `sched${process.pid}`;
  const vhost = tag;
  const children: Array<ReturnType<typeof startDaemonProcess>> = [];
  let cloud: ServerCloud;
  let dir = '';
  let db: Awaited<ReturnType<typeof scratchPostgres>> | undefined;

  before(async () => {
    await ensureBroker();
    rabbitmqctl('add_vhost', vhost);
    rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
    db = await scratchPostgres(tag);
    const dbUrl = db.url;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-sched-scale-'));
    const transport = `${BROKER_URL}${vhost}`;
    cloud = await startServerCloud({
      daemons: ['conductor', 'api'],
      overrides: {
        transport_url: transport, 'database.connection': dbUrl, rpc_response_timeout: '120',
        'quota.instances': '-1', 'quota.cores': '-1', 'quota.ram': '-1',
      },
    });
    // Half the hosts are short of vCPUs, the other half of memory; none has room for all.
    for (let i = 1; i <= HOSTS; i++) {
      await addCompute(cloud, `${tag}-h${i}`, {
        'fake_driver.vcpus': i % 2 ? '2' : '4', 'fake_driver.memory_mb': '4096', 'fake_driver.local_gb': '60',
        cpu_allocation_ratio: '2.0', ram_allocation_ratio: '1.0', disk_allocation_ratio: '1.0', reserved_host_memory_mb: '512',
        reserved_host_disk_mb: '0', reserved_host_cpus: '0', rpc_response_timeout: '120',
      });
    }
    await waitFor(async () => (await computeNodeGetAll()).length === HOSTS, 60000, `${HOSTS} compute nodes reported`);
    for (const n of [1, 2]) {
      const conf = writeConf({
        DEFAULT: { transport_url: transport, host: `${tag}-sched${n}`, state_path: path.join(dir, `sched${n}`), report_interval: 1 },
        database: { connection: dbUrl },
      }, dir);
      children.push(startDaemonProcess(['daemon', 'scheduler', '--config-file', conf]));
    }
    await waitFor(async () => (await serviceGetAll({ binary: 'nova-scheduler' })).length === 2, 60000, 'two nova-scheduler services')
      .catch((e) => { throw new Error(`${(e as Error).message}\n${children.map((c) => c.output()).join('\n')}`); });
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : undefined)));
    if (cloud) await cloud.stop();
    await db?.drop().catch(() => undefined);
    try { rabbitmqctl('delete_vhost', vhost); } catch { /* already gone */ }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never overcommits a host; every server is ACTIVE or ERROR with the filters named; claims and quotas sum exactly', async () => {
    const token = `admin:${PROJECT}`; // an admin of the project, to see each server's host
    const flavorOf = (i: number) => (i % 4 === 3 ? '2' : '1'); // m1.small, else m1.tiny
    const posted = await Promise.all(Array.from({ length: BOOTS }, (_, i) => cloud.request('POST', '/servers', {
      token, version: NOW, body: { server: { name: `scale-${i}`, imageRef: cloud.image.id, flavorRef: flavorOf(i), networks: 'none' } },
    })));
    for (const r of posted) assert.equal(r.status, 202, JSON.stringify(r.body));

    const servers = await waitFor(async () => {
      const r = await cloud.request('GET', '/servers/detail?limit=1000', { token, version: NOW });
      const list = r.body.servers as Array<any>;
      return list.length === BOOTS && list.every((s) => (s.status === 'ACTIVE' || s.status === 'ERROR') && s['OS-EXT-STS:task_state'] === null) ? list : undefined;
    }, 240000, `all ${BOOTS} servers ACTIVE or ERROR`).catch((e) => {
      throw new Error(`${(e as Error).message}\n${children.map((c) => c.output().slice(-3000)).join('\n')}`);
    });

    const active = servers.filter((s) => s.status === 'ACTIVE');
    const failed = servers.filter((s) => s.status === 'ERROR');
    assert.ok(active.length > 0 && failed.length > 0, `capacity must be tight: ${active.length} ACTIVE, ${failed.length} ERROR`);
    for (const c of children) assert.match(c.output(), /select_destinations failed: No valid host/, 'both scheduler processes took requests');
    for (const s of failed) {
      assert.match(s.fault?.message ?? '', /^No valid host was found\. There are not enough hosts available\. .*(RamFilter|CoreFilter|DiskFilter|Claim) removed \d+ of \d+ host\(s\)/, JSON.stringify(s.fault));
    }

    // Claims: one set per ACTIVE server, on its host, of exactly its flavor; none for failed builds.
    const nodes = await computeNodeGetAll();
    const nodeOf = new Map(nodes.map((n) => [n.id, n]));
    const rows = await AllocationRow.findAll();
    const byConsumer = new Map<string, Array<{ node: string; rc: string; used: number }>>();
    for (const r of rows) byConsumer.set(r.consumer_id, [...(byConsumer.get(r.consumer_id) ?? []), { node: nodeOf.get(r.compute_node_id)!.host, rc: r.resource_class, used: r.used }]);
    assert.deepEqual([...byConsumer.keys()].sort(), active.map((s) => s.id).sort(), 'claims belong to the ACTIVE servers only');
    for (const s of active) {
      const f = claimOf(s);
      const got = Object.fromEntries(byConsumer.get(s.id)!.map((a) => [a.rc, a.used]));
      assert.deepEqual(got, { VCPU: f.vcpus, MEMORY_MB: f.memory_mb, DISK_GB: f.disk_gb }, s.id);
      assert.ok(byConsumer.get(s.id)!.every((a) => a.node === s['OS-EXT-SRV-ATTR:host']), `${s.id} claimed on its own host`);
    }

    // No host beyond (inventory - reserved) * ratio; its usage counters equal its claims.
    for (const n of nodes) {
      const mine = rows.filter((r) => r.compute_node_id === n.id);
      const sum = (rc: string) => mine.filter((r) => r.resource_class === rc).reduce((a, r) => a + r.used, 0);
      assert.ok(sum('VCPU') <= (n.vcpus - n.reserved_host_cpus) * n.cpu_allocation_ratio, `${n.host}: ${sum('VCPU')} vCPUs claimed of ${n.vcpus}`);
      assert.ok(sum('MEMORY_MB') <= (n.memory_mb - n.reserved_host_memory_mb) * n.ram_allocation_ratio, `${n.host}: ${sum('MEMORY_MB')} MiB claimed`);
      assert.ok(sum('DISK_GB') <= (n.local_gb - n.reserved_host_disk_mb / 1024) * n.disk_allocation_ratio, `${n.host}: ${sum('DISK_GB')} GiB claimed`);
      assert.deepEqual([n.vcpus_used, n.memory_mb_used, n.local_gb_used, n.running_vms],
        [sum('VCPU'), sum('MEMORY_MB'), sum('DISK_GB'), new Set(mine.map((r) => r.consumer_id)).size], `${n.host} usage counters`);
      assert.equal(active.filter((s) => s['OS-EXT-SRV-ATTR:host'] === n.host).length, new Set(mine.map((r) => r.consumer_id)).size);
    }

    // Quotas count every instance that exists, ACTIVE or ERROR, as Nova counts them.
    const all = servers.map(claimOf);
    const usage = await quotaUsages(PROJECT);
    assert.deepEqual({ instances: usage.instances, cores: usage.cores, ram: usage.ram },
      { instances: all.length, cores: all.reduce((a, f) => a + f.vcpus, 0), ram: all.reduce((a, f) => a + f.memory_mb, 0) });
  });
});
