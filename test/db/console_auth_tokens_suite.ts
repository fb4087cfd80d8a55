import { strict as assert } from 'node:assert';
import * as tokens from '../../src/db/api/console_auth_tokens';
import { instanceSoftDestroy } from '../../src/db/api/instances';
import { Database } from '../../src/db/database';
import { ConsoleAuthTokenRow } from '../../src/db/models/console_auth_token';
import { insertInstance } from '../helpers/instances';

/** nova-consoleauth's table on one database (SQLite in `npm test`, MariaDB and PostgreSQL in the integration suite). */
export function consoleAuthTokensSuite(name: string, url: () => string): void {
  describe(`console_auth_tokens table on ${name}`, function () {
    this.timeout(60000);
    let db: Database;
    before(async () => {
      db = await Database.open(url());
      await db.sync();
      await ConsoleAuthTokenRow.destroy({ where: {} });
    });
    after(async () => {
      await ConsoleAuthTokenRow.destroy({ where: {} }).catch(() => undefined);
      await db?.close();
    });

    const row = (hash: string, instance_uuid: string, expires: number) => tokens.consoleAuthTokenCreate({
      token_hash: hash, console_type: 'novnc', host: 'compute-1', port: 5900, internal_access_path: null, instance_uuid, expires,
      access_url_base: 'http://proxy:6080/vnc_lite.html',
    });

    it('finds a token by hash until it expires, only while its instance lives, and keeps hashes unique', async () => {
      const live = await insertInstance({ project: 'p1' });
      const gone = await insertInstance({ project: 'p1' });
      await row('a'.repeat(64), live.uuid, 1000);
      await row('b'.repeat(64), gone.uuid, 1000);
      await instanceSoftDestroy(gone.uuid);
      assert.equal((await tokens.consoleAuthTokenGetValid('a'.repeat(64), 999))?.instance_uuid, live.uuid);
      assert.equal(await tokens.consoleAuthTokenGetValid('a'.repeat(64), 1000), null);
      assert.equal(await tokens.consoleAuthTokenGetValid('b'.repeat(64), 999), null);
      assert.equal(await tokens.consoleAuthTokenGetValid('c'.repeat(64), 1), null);
      await assert.rejects(row('a'.repeat(64), live.uuid, 2000), { name: 'SequelizeUniqueConstraintError' });
    });

    it('removes the tokens of one instance, and expired ones', async () => {
      const one = await insertInstance({ project: 'p1' });
      await row('d'.repeat(64), one.uuid, 5000);
      await row('e'.repeat(64), one.uuid, 5000);
      await row('f'.repeat(64), 'other', 10);
      assert.equal(await tokens.consoleAuthTokenDestroyAllByInstance(one.uuid), 2);
      assert.equal(await tokens.consoleAuthTokenDestroyExpired(1000), 3); // 'f' and the two of the first test
      assert.equal(await ConsoleAuthTokenRow.count(), 0);
    });
  });
}
