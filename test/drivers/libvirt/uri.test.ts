import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { readSettings } from '../../../src/drivers/libvirt/config';
import { inboundUri } from '../../../src/drivers/libvirt/migration';
import { InvalidConnectionUri, parseConnectionUri, sameHypervisor } from '../../../src/drivers/libvirt/uri';
import { libvirtConf } from '../../helpers/libvirt';

describe('libvirt/uri and settings', () => {
  it('parses local URIs (empty means qemu:///system)', () => {
    assert.deepEqual(parseConnectionUri(''), { uri: 'qemu:///system', libvirtUri: 'qemu:///system', ssh: null, params: {} });
    assert.equal(parseConnectionUri('test:///default').libvirtUri, 'test:///default');
    assert.equal(parseConnectionUri('qemu:///session').ssh, null);
  });

  it('parses qemu+ssh URIs into the SSH target and the URI to use there', () => {
    const a = parseConnectionUri('qemu+ssh://root@127.0.0.1:2222/system?keyfile=/k&known_hosts=/kh&no_verify=1');
    assert.deepEqual(a.ssh, { host: '127.0.0.1', port: 2222, username: 'root' });
    assert.equal(a.libvirtUri, 'qemu:///system');
    assert.deepEqual(a.params, { keyfile: '/k', known_hosts: '/kh', no_verify: true });
    const b = parseConnectionUri('qemu+libssh2://compute1/system');
    assert.deepEqual(b.ssh, { host: 'compute1', port: 22, username: os.userInfo().username });
    assert.equal(parseConnectionUri('qemu+ssh://u@[::1]:22/system').ssh?.host, '::1');
  });

  it('refuses what it cannot reach, saying what to use instead', () => {
    assert.throws(() => parseConnectionUri('qemu+tcp://h/system'), (e: Error) => e instanceof InvalidConnectionUri && /use qemu\+ssh/.test(e.message));
    assert.throws(() => parseConnectionUri('xen:///system'), /driver 'xen' is not supported/);
    assert.throws(() => parseConnectionUri('qemu://h/system'), /needs a transport/);
    assert.throws(() => parseConnectionUri('qemu+ssh://h/system?sshauth=agent'), /parameter 'sshauth' is not supported/);
    assert.throws(() => parseConnectionUri('not a uri'), /not a URI/);
  });

  it('tells whether two addresses are the same hypervisor', () => {
    const p = parseConnectionUri;
    assert.ok(sameHypervisor(p(''), p('qemu:///system')));
    assert.ok(sameHypervisor(p('qemu+ssh://r@h:1/system'), p('qemu+ssh://r@h:1/system')));
    assert.ok(!sameHypervisor(p('qemu+ssh://r@h:1/system'), p('qemu+ssh://r@h:2/system')));
    assert.ok(!sameHypervisor(p(''), p('qemu+ssh://r@h/system')));
  });

  it('turns migration_inbound_addr into a URI', () => {
    assert.equal(inboundUri('10.0.0.5'), 'qemu+ssh://10.0.0.5/system');
    assert.equal(inboundUri('nova@10.0.0.5:2222'), 'qemu+ssh://nova@10.0.0.5:2222/system');
    assert.equal(inboundUri('qemu+ssh://x@y/system'), 'qemu+ssh://x@y/system');
  });

  it('reads settings: cpu_mode by virt_type, paths, key from the URI, and refuses relative remote paths', () => {
    const local = readSettings(libvirtConf({ instances_path: '/srv/i' }));
    assert.equal(local.cpuMode, 'none');
    assert.equal(local.baseDir, '/srv/i/_base');
    assert.equal(local.snapshotsDir, '/srv/i/snapshots');
    assert.equal(local.imagesType, 'qcow2');
    assert.equal(readSettings(libvirtConf({ 'libvirt.virt_type': 'kvm' })).cpuMode, 'host-model');
    const remote = readSettings(libvirtConf({ instances_path: '/srv/i', 'libvirt.connection_uri': 'qemu+ssh://r@h/system?keyfile=/my/key', 'libvirt.ssh_private_key': '/other' }));
    assert.equal(remote.sshOptions.privateKeyPath, '/my/key');
    assert.equal(remote.sshOptions.strictHostKeyChecking, 'yes');
    assert.throws(() => readSettings(libvirtConf({ instances_path: 'rel/i', 'libvirt.connection_uri': 'qemu+ssh://r@h/system' })), /must be an absolute path on h/);
    assert.throws(() => readSettings(libvirtConf({ 'libvirt.cpu_mode': 'custom' })), /cpu_models/);
  });
});
