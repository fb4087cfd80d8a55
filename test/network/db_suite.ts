import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/conf/loader';
import { Database } from '../../src/db/database';
import { fixedIpAssociatePool, fixedIpDisassociate, fixedIpsWhere } from '../../src/db/api/fixed_ips';
import {
  floatingIpAllocate, floatingIpAssociate, floatingIpDeallocate, floatingIpDisassociate, floatingIpsBulkCreate, floatingIpGetByAddress,
} from '../../src/db/api/floating_ips';
import { networkAssociateFree, networkGetAll, networkSetHostIfUnset } from '../../src/db/api/networks';
import { securityGroupEnsureDefault, securityGroupList } from '../../src/db/api/security_groups';
import { vifCreate } from '../../src/db/api/virtual_interfaces';
import { createNetworks } from '../../src/network/create_networks';
import { managerKind } from '../../src/network/managers';

/**
 * nova-network's tables on one database: the networks and address rows create_networks makes, and
 * the conditional UPDATEs that keep allocation exact when requests race (run on SQLite by npm test,
 * on MariaDB and PostgreSQL by the integration suite).
 */
export function networkDatabaseSuite(name: string, url: () => string): void {
  describe(`nova-network tables on ${name}`, function () {
    this.timeout(120000);
    let db: Database;
    const conf = loadConfig({ overrides: { network_manager: 'nova.network.manager.FlatDHCPManager' } }).conf;

    before(async () => {
      db = await Database.open(url(), { poolMax: 10 });
      await db.reset();
      await db.sync();
    });
    after(async () => { await db?.close(); });

    it('creates networks with one row per address, the reserved ones marked', async () => {
      const [net] = await createNetworks(conf, managerKind('FlatDHCPManager'), { label: 'n1', cidr: '10.30.0.0/28', bridge: 'br30' });
      const rows = await fixedIpsWhere({ network_id: net.id });
      assert.equal(rows.length, 16);
      assert.deepEqual(rows.filter((r) => r.reserved).map((r) => r.address).sort(), ['10.30.0.0', '10.30.0.1', '10.30.0.15']);
      const vlans = await createNetworks(conf, managerKind('VlanManager'), { label: 'v', cidr: '10.40.0.0/24', num_networks: 2, network_size: 16 });
      assert.deepEqual(vlans.map((n) => [n.label, n.cidr, n.vlan, n.bridge]), [
        ['v_0', '10.40.0.0/28', 101, 'br101'], ['v_1', '10.40.0.16/28', 102, 'br102'],
      ], 'VLAN ids follow vlan_start plus the networks that exist');
    });

    it('hands each free address to exactly one of many concurrent requests, and none when they are gone', async () => {
      const [net] = await createNetworks(conf, managerKind('FlatDHCPManager'), { label: 'race', cidr: '10.31.0.0/28', bridge: 'br31' });
      const free = (await fixedIpsWhere({ network_id: net.id, reserved: false })).length;
      const results = await Promise.all(Array.from({ length: free + 5 }, () => fixedIpAssociatePool({ networkId: net.id, instanceUuid: randomUUID() })));
      const won = results.filter((r) => r !== null);
      assert.equal(won.length, free);
      assert.equal(new Set(won.map((r) => r!.address)).size, free, 'no address given twice');
      assert.equal(await fixedIpAssociatePool({ networkId: net.id, instanceUuid: randomUUID() }), null);
      // A released address is handed out again, the one released longest ago first.
      assert.ok(await fixedIpDisassociate(won[0]!.id, won[0]!.instance_uuid!));
      assert.ok(!(await fixedIpDisassociate(won[0]!.id, won[0]!.instance_uuid!)), 'released once only');
      assert.equal((await fixedIpAssociatePool({ networkId: net.id, instanceUuid: randomUUID() }))!.address, won[0]!.address);
    });

    it('gives a floating address to one project at a time and associates it once', async () => {
      await floatingIpsBulkCreate(['198.51.100.1', '198.51.100.2', '198.51.100.3'].map((address) => ({ address, pool: 'race', interface: 'eth0' })));
      const got = await Promise.all(Array.from({ length: 6 }, (_x, i) => floatingIpAllocate(`p${i}`, 'race', false)));
      assert.equal(got.filter(Boolean).length, 3);
      assert.equal(new Set(got.filter(Boolean).map((f) => f!.address)).size, 3);
      const address = got.find(Boolean)!.address;
      const wins = await Promise.all([floatingIpAssociate(address, 1, 'h1'), floatingIpAssociate(address, 2, 'h2')]);
      assert.deepEqual(wins.filter(Boolean).length, 1);
      assert.ok(!(await floatingIpDeallocate(address)), 'an associated address is not released');
      assert.ok((await floatingIpDisassociate(address)) !== null);
      assert.ok(await floatingIpDeallocate(address));
      assert.equal((await floatingIpGetByAddress(address))!.project_id, null);
    });

    it('sets a network host and gives a free network to one project only', async () => {
      const nets = await createNetworks(conf, managerKind('VlanManager'), { label: 'proj', cidr: '10.50.0.0/24', network_size: 64, num_networks: 1 });
      const hosts = await Promise.all([networkSetHostIfUnset(nets[0].id, 'a'), networkSetHostIfUnset(nets[0].id, 'b')]);
      assert.equal(hosts[0], hosts[1], 'both see the one host that won');
      const free = (await networkGetAll({ project_id: null })).length;
      const taken = await Promise.all(Array.from({ length: free + 2 }, (_x, i) => networkAssociateFree(`proj-${i}`)));
      const ids = taken.filter(Boolean).map((n) => n!.id);
      assert.equal(ids.length, free);
      assert.equal(new Set(ids).size, free);
    });

    it('makes one default security group per project whatever the concurrency, and unique MACs', async () => {
      await Promise.all(Array.from({ length: 5 }, () => securityGroupEnsureDefault('sg-project', 'u')));
      assert.deepEqual((await securityGroupList('sg-project')).map((g) => g.name), ['default']);
      const [net] = await networkGetAll();
      const macs = await Promise.all(Array.from({ length: 10 }, () => vifCreate(randomUUID(), net.id, 5)));
      assert.equal(new Set(macs.map((v) => v!.address)).size, 10);
      assert.ok(macs.every((v) => /^fa:16:3e(:[0-9a-f]{2}){3}$/.test(v!.address)));
    });
  });
}
