import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { Database } from '../../src/db/database';
import { ec2IdToGlanceId, ec2IntIdFor, glanceIdToEc2Id, instanceEc2Id, instanceUuidForEc2Id, uuidForEc2IntId } from '../../src/db/api/ec2_ids';
import { DEFAULT_FLAVORS } from '../../src/db/api/flavors';
import { instanceCreate, instanceGet, instancePurge, instanceSoftDestroy, InstanceCreate } from '../../src/db/api/instances';
import { instanceUuidByFixedIp } from '../../src/db/api/instance_network';
import { extractPassword, instancePasswordClear, instancePasswordSetOnce } from '../../src/db/api/instance_password';
import { Ec2IdMappingRow } from '../../src/db/models/ec2_id_mapping';
import { NetworkInfo } from '../../src/drivers/driver';
import { oneNic } from '../helpers/metadata';

/**
 * The data the metadata service reads and writes, on one database: EC2 id mappings, the fixed-IP
 * lookup and the set-once password. Run on SQLite by `npm test`, on MariaDB and PostgreSQL by the
 * integration suite; rows are its own (random ids and addresses), so a shared database is fine.
 */
export function metadataDbSuite(name: string, url: () => string): void {
  describe(`metadata data on ${name}`, function () {
    this.timeout(60000);
    let db: Database;
    const made: string[] = [];
    const imageIds: string[] = [];
    // A /24 of its own per run: 10.<random>.<random>.x
    const net = `10.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;

    const create = async (networkInfo: NetworkInfo, project = 'p-md'): Promise<string> => {
      const uuid = randomUUID();
      const flavor = { ...DEFAULT_FLAVORS[0], id: 1, extra_specs: {} };
      await instanceCreate({
        uuid, display_name: `md-${uuid.slice(0, 6)}`, project_id: project, user_id: 'u1', vm_state: 'active', reservation_id: 'r-md',
        flavor: { cur: flavor }, memory_mb: 512, vcpus: 1, root_gb: 1, network_info: networkInfo,
      } as InstanceCreate);
      made.push(uuid);
      return uuid;
    };

    before(async () => {
      db = await Database.open(url(), { poolMax: 10 });
      await db.sync();
    });
    after(async () => {
      await instancePurge(made).catch(() => undefined);
      await Ec2IdMappingRow.destroy({ where: { uuid: imageIds } }).catch(() => undefined);
      await db?.close();
    });

    it('finds the live instance that has an address as a fixed IP, and nothing else', async () => {
      const a = await create(oneNic(`${net}.5`, { floating: `${net}.200`, v6: 'fd00:1::5' }));
      const b = await create(oneNic(`${net}.50`));
      assert.equal(await instanceUuidByFixedIp(`${net}.5`), a);
      assert.equal(await instanceUuidByFixedIp(`::ffff:${net}.5`), a, 'an IPv4 client seen on a dual-stack socket');
      assert.equal(await instanceUuidByFixedIp('FD00:1::5'), a);
      assert.equal(await instanceUuidByFixedIp(`${net}.50`), b);
      assert.equal(await instanceUuidByFixedIp(`${net}.200`), null, 'floating IPs do not identify');
      assert.equal(await instanceUuidByFixedIp(`${net}.1`), null, 'a gateway is no fixed IP');
      assert.equal(await instanceUuidByFixedIp(`${net}.51`), null);
      assert.equal(await instanceUuidByFixedIp('not-an-address'), null);
      assert.equal(await instanceUuidByFixedIp(`%`), null);
      await instanceSoftDestroy(b);
      assert.equal(await instanceUuidByFixedIp(`${net}.50`), null, 'a deleted instance has no address');
    });

    it('refuses an address two live instances claim', async () => {
      await create(oneNic(`${net}.77`));
      await create(oneNic(`${net}.77`));
      await assert.rejects(instanceUuidByFixedIp(`${net}.77`), { name: 'FixedIpAssociatedWithMultipleInstances', message: new RegExp(`Fixed IP address ${net}\\.77 is associated with multiple instances`) });
    });

    it('gives each image one stable EC2 id, the same under concurrent first use', async () => {
      const img = randomUUID();
      imageIds.push(img);
      const ids = await Promise.all(Array.from({ length: 8 }, () => ec2IntIdFor('image', img)));
      assert.equal(new Set(ids).size, 1);
      assert.equal(await Ec2IdMappingRow.count({ where: { uuid: img } }), 1);
      const ami = await glanceIdToEc2Id(img);
      assert.equal(ami, `ami-${ids[0].toString(16).padStart(8, '0')}`);
      assert.equal(await glanceIdToEc2Id(img, 'aki'), ami.replace('ami', 'aki'));
      assert.equal(await ec2IdToGlanceId(ami), img);
      const other = randomUUID();
      imageIds.push(other);
      assert.notEqual(await glanceIdToEc2Id(other), ami);
      await assert.rejects(ec2IdToGlanceId('ami-7fffffff'), { name: 'ImageNotFound' });
      await assert.rejects(uuidForEc2IntId('volume', ids[0]), { name: 'Ec2IdNotFound' }, 'ids are per kind');
    });

    it('maps i-... to the instance id and back', async () => {
      const uuid = await create([]);
      const inst = await instanceGet(uuid);
      const ec2 = instanceEc2Id(inst);
      assert.equal(ec2, `i-${inst.id.toString(16).padStart(8, '0')}`);
      assert.equal(await instanceUuidForEc2Id(ec2), uuid);
      await assert.rejects(instanceUuidForEc2Id('i-7ffffff0'), { name: 'InstanceNotFound' });
    });

    it('stores a password once, even when two posts race, until it is cleared', async () => {
      const uuid = await create([]);
      const results = await Promise.all(['first', 'second', 'third'].map((p) => instancePasswordSetOnce(uuid, p)));
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
      const stored = extractPassword((await instanceGet(uuid)).system_metadata);
      assert.ok(['first', 'second', 'third'].includes(stored ?? ''), String(stored));
      assert.equal(await instancePasswordSetOnce(uuid, 'again'), false);
      await instancePasswordClear(uuid);
      const sys = (await instanceGet(uuid)).system_metadata;
      assert.deepEqual([sys.password_0, sys.password_1, sys.password_2, sys.password_3], ['', '', '', '']);
      assert.equal(extractPassword(sys), null);
      const long = 'A'.repeat(1020);
      assert.equal(await instancePasswordSetOnce(uuid, long), true);
      const after = (await instanceGet(uuid)).system_metadata;
      assert.deepEqual([0, 1, 2, 3].map((i) => after[`password_${i}`].length), [255, 255, 255, 255]);
      assert.equal(extractPassword(after), long);
      await instanceSoftDestroy(uuid);
      await assert.rejects(instancePasswordSetOnce(uuid, 'x'), { name: 'InstanceNotFound' });
    });
  });
}
