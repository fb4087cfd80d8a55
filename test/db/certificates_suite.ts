import { strict as assert } from 'node:assert';
import * as certs from '../../src/db/api/certificates';
import { Database } from '../../src/db/database';
import { CertificateRow } from '../../src/db/models/certificate';

/** nova-cert's records on one database (run on SQLite by `npm test`, on MariaDB and PostgreSQL by the integration suite). */
export function certificatesSuite(name: string, url: () => string): void {
  describe(`certificates table on ${name}`, function () {
    this.timeout(60000);
    let db: Database;

    before(async () => {
      db = await Database.open(url());
      await db.sync();
      await CertificateRow.destroy({ where: {} });
    });
    after(async () => {
      await CertificateRow.destroy({ where: {} }).catch(() => undefined);
      await db?.close();
    });

    const row = (user_id: string, project_id: string, serial: string, ca_folder = '.') =>
      certs.certificateCreate({ user_id, project_id, serial, ca_folder, file_name: `/ca/${ca_folder}/newcerts/${serial}.pem` });

    it('finds certificates by user, project, or both, and keeps (CA, serial) unique', async () => {
      await row('alice', 'p1', '0A');
      await row('bob', 'p1', '0B');
      await row('alice', 'p2', '0C');
      await row('alice', 'p2', '0A', 'projects/p2'); // the same serial under another CA is fine
      assert.deepEqual((await certs.certificateGetAllByUser('alice')).map((c) => c.serial), ['0A', '0C', '0A']);
      assert.deepEqual((await certs.certificateGetAllByProject('p1')).map((c) => c.user_id), ['alice', 'bob']);
      assert.deepEqual((await certs.certificateGetAllByUserAndProject('alice', 'p2')).map((c) => c.ca_folder), ['.', 'projects/p2']);
      await assert.rejects(row('carol', 'p3', '0A'), { name: 'SequelizeUniqueConstraintError' });
    });

    it('revokes each certificate once and lists what a CA has revoked', async () => {
      const alice = await certs.certificateGetAllByUser('alice');
      const at = new Date('2026-03-04T05:06:07Z');
      assert.equal(await certs.certificatesRevoke(alice.map((c) => c.id), at), 3);
      assert.equal(await certs.certificatesRevoke(alice.map((c) => c.id), new Date()), 0);
      assert.equal(await certs.certificatesRevoke([], new Date()), 0);
      const root = await certs.certificatesRevokedBy('.');
      assert.deepEqual(root.map((r) => r.serial).sort(), ['0A', '0C']);
      assert.ok(root.every((r) => r.revoked_at instanceof Date && r.revoked_at.getTime() === at.getTime()));
      assert.deepEqual((await certs.certificatesRevokedBy('projects/p2')).map((r) => r.serial), ['0A']);
      assert.equal((await certs.certificateGetAllByUser('bob'))[0].revoked_at, null);
    });
  });
}
