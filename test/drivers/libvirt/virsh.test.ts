import { strict as assert } from 'node:assert';
import { PowerState } from '../../../src/compute/power_state';
import { LocalExecutor } from '../../../src/drivers/libvirt/executor/local';
import { CommandFailed, shellQuote } from '../../../src/drivers/libvirt/executor/types';
import {
  memoryUsedMb, parseDf, parseHostCpu, parseSupportedInstances, parseVcpusUsed, versionNumber,
} from '../../../src/drivers/libvirt/host_info';
import { haveVirsh } from '../../helpers/libvirt';
import { libvirtMessage, LibvirtError, parseDomainState, parseDomInfo, powerStateOf, Virsh } from '../../../src/drivers/libvirt/virsh';

describe('libvirt/virsh and host info', () => {
  it('maps libvirt domain states to Nova power states', () => {
    const p = (t: string) => powerStateOf(parseDomainState(t));
    assert.equal(p('running (booted)\n\n'), PowerState.RUNNING);
    assert.equal(p('idle'), PowerState.RUNNING);
    assert.equal(p('paused (user)'), PowerState.PAUSED);
    assert.equal(p('in shutdown (user)'), PowerState.SHUTDOWN);
    assert.equal(p('shut off (shutdown)'), PowerState.SHUTDOWN);
    assert.equal(p('shut off (saved)'), PowerState.SUSPENDED, 'a managed save image means suspended');
    assert.equal(p('crashed (panicked)'), PowerState.CRASHED);
    assert.equal(p('pmsuspended'), PowerState.SUSPENDED);
    assert.equal(p('no state'), PowerState.NOSTATE);
    assert.deepEqual(parseDomainState('shut off (destroyed)'), { state: 'shut off', reason: 'destroyed' });
  });

  it('keeps libvirt\'s own words from virsh errors', () => {
    assert.equal(libvirtMessage("error: Failed to start domain 'x'\nerror: internal error: qemu unexpectedly closed the monitor\n"),
      "Failed to start domain 'x': internal error: qemu unexpectedly closed the monitor");
    assert.equal(libvirtMessage('', 'odd output'), 'odd output');
  });

  it('reads dominfo, versions, meminfo, df, domstats and capabilities', () => {
    const info = parseDomInfo('Id:             5\nUUID:           u-1\nState:          running\nCPU(s):         2\nCPU time:       1.5s\nMax memory:     131072 KiB\nUsed memory:    65536 KiB\n');
    assert.deepEqual(info, { id: '5', uuid: 'u-1', state: 'running', vcpus: 2, cpuTimeNs: 1.5e9, maxMemKb: 131072, usedMemKb: 65536 });
    assert.equal(parseDomInfo('Id:             -\nState:          shut off\n').id, null);
    assert.equal(versionNumber('QEMU 7.2.22'), 7002022);
    assert.equal(versionNumber('QEMU 7.2'), 7002000);
    assert.deepEqual(memoryUsedMb('MemTotal:       2048000 kB\nMemFree:  100 kB\nMemAvailable:   1024000 kB\n'), { totalMb: 2000, usedMb: 1000 });
    assert.deepEqual(parseDf('     1B-blocks        Avail\n 10737418240 5368709120\n'), { size: 10737418240, avail: 5368709120 });
    assert.throws(() => parseDf('garbage'), /cannot read df output/);
    assert.equal(parseVcpusUsed("Domain: 'a'\n  vcpu.current=2\n  vcpu.maximum=4\n\nDomain: 'b'\n  vcpu.current=1\n"), 3);
    const caps = "<capabilities><host><cpu><arch>x86_64</arch><model>kvm64</model><vendor>AMD</vendor><topology sockets='1' dies='1' cores='2' threads='1'/>"
      + "<feature name='sse4.2'/><feature name='avx'/></cpu></host><guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>";
    assert.deepEqual(parseHostCpu(caps), { arch: 'x86_64', model: 'kvm64', vendor: 'AMD', topology: { sockets: 1, cores: 2, threads: 1 }, features: ['avx', 'sse4.2'] });
    assert.deepEqual(parseSupportedInstances(caps, ['qemu']), [['x86_64', 'qemu', 'hvm']]);
  });

  it('quotes command words for a remote shell', () => {
    assert.equal(shellQuote(['virsh', '-c', 'qemu:///system', "it's here", 'a b']), `virsh -c qemu:///system 'it'\\''s here' 'a b'`);
  });

  describe('against libvirt\'s test driver (test:///default, no daemon)', () => {
    const exec = new LocalExecutor();
    const virsh = new Virsh(exec, 'test:///default');
    before(function () { if (!haveVirsh()) this.skip(); }); // scripts/ci/setup-libvirt.sh installs libvirt-clients

    it('reads state, info, lists and host facts of the default domain', async () => {
      assert.deepEqual(await virsh.state('test'), { state: 'running', reason: 'unknown' });
      assert.equal((await virsh.info('test')).vcpus, 2);
      assert.deepEqual(await virsh.listNames(), ['test']);
      assert.equal((await virsh.listUuids()).length, 1);
      assert.equal(parseHostCpu(await virsh.capabilities()).arch, 'i686');
      assert.equal((await virsh.nodeInfo())['CPU(s)'], '16');
    });

    it('says null for a domain that does not exist, and LibvirtError (noDomain) when acting on it', async () => {
      assert.equal(await virsh.state('gone'), null);
      await assert.rejects(virsh.start('gone'), (e: Error) => e instanceof LibvirtError && e.noDomain && /failed to get domain 'gone'/.test(e.message));
    });

    it('passes on libvirt\'s reason when a definition is refused', async () => {
      const xml = "<domain type='test'><name>x</name><memory>1024</memory><os><type arch='bogus'>hvm</type></os></domain>";
      const file = `/tmp/virsh-test-${process.pid}.xml`;
      await exec.writeFile(file, xml);
      await assert.rejects(virsh.define(file), (e: Error) => e instanceof LibvirtError && /Unknown architecture bogus/.test(e.message));
      await exec.remove(file);
    });

    it('runs chained commands on one connection (the test driver forgets between calls)', async () => {
      const out = await virsh.run(['destroy test; domstate test; start test; domstate test']);
      assert.match(out, /shut off[\s\S]*running/);
      assert.deepEqual(await virsh.state('test'), { state: 'running', reason: 'unknown' });
    });

    it('fails a missing command with a CommandFailed that names it', async () => {
      await assert.rejects(exec.run('sh', ['-c', 'echo oops >&2; exit 3']), (e: Error) => e instanceof CommandFailed && /exit code 3: oops/.test(e.message));
      await assert.rejects(exec.run('no-such-program-x', []), /cannot run no-such-program-x/);
    });
  });
});
