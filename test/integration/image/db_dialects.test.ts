import { strict as assert } from 'node:assert';
import { QueryInterface, Sequelize } from 'sequelize';
import { imageMemberCreate, imageMemberSetStatus } from '../../../src/db/api/image_members';
import { imageCreate, imageGet, imageList, ImageListQuery, imageSoftDelete, imageTagAdd, imageUpdate } from '../../../src/db/api/images';
import * as migration from '../../../src/db/migrations/003_images';
import { initImageModels } from '../../../src/db/models/image';

/**
 * The image tables and queries on MariaDB and PostgreSQL (the unit suite runs SQLite), each in a
 * scratch database or schema of its own so that nothing else in nova_test is touched.
 */
const TARGETS: Array<{ name: string; setup: string; teardown: string; open: () => Sequelize; admin: () => Sequelize }> = [
  {
    name: 'MariaDB', setup: 'CREATE DATABASE IF NOT EXISTS nova_image_it', teardown: 'DROP DATABASE IF EXISTS nova_image_it',
    admin: () => new Sequelize('mysql://nova:nova@127.0.0.1:3306/nova_test', { logging: false }),
    open: () => new Sequelize('mysql://nova:nova@127.0.0.1:3306/nova_image_it', { logging: false, dialectOptions: { charset: 'utf8mb4' } }),
  },
  {
    name: 'PostgreSQL', setup: 'CREATE SCHEMA IF NOT EXISTS nova_image_it', teardown: 'DROP SCHEMA IF EXISTS nova_image_it CASCADE',
    admin: () => new Sequelize('postgres://nova:nova@127.0.0.1:5432/nova_test', { logging: false }),
    open: () => new Sequelize('postgres://nova:nova@127.0.0.1:5432/nova_test', { logging: false, searchPath: 'nova_image_it', dialectOptions: { prependSearchPath: true } } as never),
  },
];

for (const t of TARGETS) {
  describe(`image tables and queries on ${t.name}`, () => {
    let admin: Sequelize;
    let seq: Sequelize;
    const ids = [0, 1, 2, 3, 4].map((i) => `0000000${i}-0000-4000-8000-000000000000`);
    before(async () => {
      admin = t.admin();
      await admin.query(t.setup);
      seq = t.open();
      await migration.up({ context: seq.getQueryInterface() as QueryInterface });
      initImageModels(seq);
      const names = ['b', null, 'a', 'c', null];
      for (let i = 0; i < 5; i++) {
        await imageCreate(ids[i], { name: names[i], owner: i < 3 ? 'p1' : 'p2', visibility: i === 4 ? 'public' : 'shared', size: 10 * i }, { k: String(i % 2) }, i % 2 ? ['t'] : []);
      }
    });
    after(async () => {
      await seq?.close();
      await admin?.query(t.teardown);
      await admin?.close();
    });

    const q = (over: Partial<ImageListQuery> = {}): ImageListQuery => ({
      viewer: { projectId: 'p1', isAdmin: false }, memberStatus: 'accepted', columns: [], props: {}, tags: [],
      sortKeys: ['name', 'created_at', 'id'], sortDirs: ['asc', 'asc', 'asc'], limit: 100, ...over,
    });

    it('pages through NULL names in both directions with markers', async () => {
      assert.deepEqual((await imageList(q())).map((i) => i.name), [null, null, 'a', 'b']);
      for (const [dir, expected] of [['asc', [null, null, 'a', 'b']], ['desc', ['b', 'a', null, null]]] as const) {
        const seen: Array<string | null> = [];
        let marker;
        for (;;) {
          const page = await imageList(q({ limit: 1, marker, sortDirs: [dir, dir, dir] }));
          if (!page.length) break;
          seen.push(page[0].name);
          marker = page[0];
        }
        assert.deepEqual(seen, expected, dir);
      }
    });

    it('applies membership, property, tag and range filters', async () => {
      await imageMemberCreate(ids[3], 'p1');
      assert.equal((await imageList(q())).length, 4);
      await imageMemberSetStatus(ids[3], 'p1', 'accepted');
      assert.equal((await imageList(q())).length, 5);
      assert.deepEqual((await imageList(q({ props: { k: '1' }, tags: ['t'] }))).map((i) => i.id).sort(), [ids[1], ids[3]]);
      const ranged = await imageList(q({ columns: [{ key: 'size', op: 'gte', value: 20 }, { key: 'name', op: 'in', value: ['a', 'c'] }] }));
      assert.deepEqual(ranged.map((i) => i.name).sort(), ['a', 'c']);
    });

    it('updates, compares and swaps status, tags and soft-deletes', async () => {
      const u = await imageUpdate(ids[0], { values: {}, setProps: { z: '1' }, removeProps: ['k'] });
      assert.deepEqual(u!.properties, { z: '1' });
      assert.equal(typeof u!.size, 'number');
      assert.ok(await imageUpdate(ids[0], { values: { name: 'b' } }), 'an update that changes nothing still finds the image');
      assert.equal(await imageUpdate(ids[0], { values: { status: 'active' } }, ['saving']), null);
      assert.ok(await imageTagAdd(ids[0], 'x'));
      assert.ok(await imageTagAdd(ids[0], 'x'));
      assert.ok(await imageSoftDelete(ids[0]));
      assert.equal(await imageGet(ids[0]), null);
      assert.equal((await imageGet(ids[0], { includeDeleted: true }))!.status, 'deleted');
    });
  });
}
