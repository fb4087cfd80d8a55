import { strict as assert } from 'node:assert';
import { parseManifest } from '../../../src/ec2/bundle/manifest';

const manifest = (machine: string, type = 'machine', extra = '') => `<?xml version="1.0" ?><manifest><version>2007-10-10</version>
<machine_configuration>${machine}</machine_configuration><image><name>disk.img</name><type>${type}</type>
<digest algorithm="SHA1">AABB</digest><ec2_encrypted_key algorithm="AES-128-CBC">0a0b</ec2_encrypted_key><ec2_encrypted_iv>0c0d</ec2_encrypted_iv>
<parts count="2"><part index="1"><filename>disk.img.part.01</filename><digest algorithm="SHA1">22</digest></part>
<part index="0"><filename>disk.img.part.00</filename><digest algorithm="SHA1">11</digest></part></parts>${extra}</image></manifest>`;

describe('bundle manifests', () => {
  it('reads the machine configuration, keys and parts in index order', () => {
    const m = parseManifest(manifest('<architecture>x86_64</architecture><kernel_id>aki-00000001</kernel_id><ramdisk_id>ari-00000002</ramdisk_id>'));
    assert.equal(m.format, 'ami');
    assert.deepEqual([m.architecture, m.kernelId, m.ramdiskId, m.name, m.tarSha1], ['x86_64', 'aki-00000001', 'ari-00000002', 'disk.img', 'aabb']);
    assert.deepEqual(m.ec2EncryptedKey, Buffer.from([10, 11]));
    assert.deepEqual(m.parts.map((p) => [p.index, p.filename, p.sha1]), [[0, 'disk.img.part.00', '11'], [1, 'disk.img.part.01', '22']]);
  });

  it('knows kernel and ramdisk bundles by image/type and by the old `true` ids', () => {
    assert.equal(parseManifest(manifest('', 'kernel')).format, 'aki');
    assert.equal(parseManifest(manifest('', 'ramdisk')).format, 'ari');
    const old = parseManifest(manifest('<kernel_id>true</kernel_id>'));
    assert.deepEqual([old.format, old.kernelId], ['aki', null]);
  });

  it('names what is wrong', () => {
    assert.throws(() => parseManifest('<nothing/>'), /no <manifest>/);
    assert.throws(() => parseManifest(manifest('').replace(/<ec2_encrypted_key[^/]*\/ec2_encrypted_key>/, '')), /ec2_encrypted_key/);
    assert.throws(() => parseManifest(manifest('').replace('disk.img.part.00', '../etc/passwd')), /no usable filename/);
  });
});
