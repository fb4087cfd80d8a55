import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSettings } from '../../../src/drivers/libvirt/config';
import { deviceName, DomainSpec, renderDomainXml } from '../../../src/drivers/libvirt/domain_xml';
import { ImageMeta, Vif } from '../../../src/drivers/driver';
import { driverInstance, flavor, libvirtConf } from '../../helpers/libvirt';

function hasTool(name: string): boolean {
  try { execFileSync('which', [name], { stdio: 'ignore' }); return true; } catch { return false; }
}

const image = (props: Record<string, string> = {}): ImageMeta => ({ id: 'img-1', disk_format: 'qcow2', properties: props });
const vif = (id: string, bridge: string | null, mac: string): Vif => ({
  id, address: mac, type: 'bridge', devname: `tap${id}`, network: { id: 'n', bridge, label: 'private', subnets: [] },
});

function spec(over: Partial<DomainSpec> = {}, img = image()): DomainSpec {
  return {
    instance: driverInstance(img, { display_name: `web <&'"> 1` }), flavor: flavor({ memory_mb: 128, vcpus: 2, ephemeral_gb: 1, swap: 64 }),
    image: img, disks: [{ path: '/i/u/disk', format: 'qcow2' }, { path: '/i/u/disk.local', format: 'qcow2' }, { path: '/i/u/disk.swap', format: 'raw' }],
    kernel: null, ramdisk: null, consoleLog: '/i/u/console.log', ...over,
  };
}

describe('libvirt/domain_xml', () => {
  const settings = readSettings(libvirtConf({ instances_path: '/i', 'vnc.server_listen': '0.0.0.0', 'spice.enabled': 'true', 'spice.server_listen': '127.0.0.2' }));

  it('renders type, memory, vcpus, disks in order, serial log, consoles', () => {
    const s = spec();
    const xml = renderDomainXml(s, settings);
    assert.match(xml, /<domain type='qemu'>/);
    assert.match(xml, new RegExp(`<name>${s.instance.name}</name>\\s*<uuid>${s.instance.uuid}</uuid>`));
    assert.match(xml, /<memory unit='MiB'>128<\/memory>/);
    assert.match(xml, /<vcpu placement='static'>2<\/vcpu>/);
    assert.match(xml, /<nova:name>web &lt;&amp;&apos;&quot;&gt; 1<\/nova:name>/);
    const disks = [...xml.matchAll(/<driver name='qemu' type='(\w+)'\/>\s*<source file='([^']+)'\/>\s*<target dev='(\w+)' bus='(\w+)'\/>/g)].map((m) => m.slice(1).join(' '));
    assert.deepEqual(disks, ['qcow2 /i/u/disk vda virtio', 'qcow2 /i/u/disk.local vdb virtio', 'raw /i/u/disk.swap vdc virtio']);
    assert.match(xml, /<serial type='pty'>\s*<log file='\/i\/u\/console.log' append='on'\/>\s*<\/serial>\s*<console type='pty'\/>/);
    assert.match(xml, /<graphics type='vnc' autoport='yes' listen='0.0.0.0'\/>/);
    assert.match(xml, /<graphics type='spice' autoport='yes' listen='127.0.0.2'\/>/);
    assert.match(xml, /<boot dev='hd'\/>/);
    assert.doesNotMatch(xml, /<kernel>|<interface|<cpu /);
    assert.match(xml, new RegExp(`<entry name='uuid'>${s.instance.uuid}</entry>`));
  });

  it('boots the kernel and ramdisk directly when given, with Nova\'s command line or os_command_line', () => {
    const xml = renderDomainXml(spec({ kernel: '/i/u/kernel', ramdisk: '/i/u/ramdisk' }), settings);
    assert.match(xml, /<kernel>\/i\/u\/kernel<\/kernel>\s*<initrd>\/i\/u\/ramdisk<\/initrd>\s*<cmdline>root=\/dev\/vda console=tty0 console=ttyS0<\/cmdline>/);
    assert.doesNotMatch(xml, /<boot dev/);
    const custom = renderDomainXml(spec({ kernel: '/k' }, image({ os_command_line: 'console=ttyS0 quiet' })), settings);
    assert.match(custom, /<cmdline>console=ttyS0 quiet<\/cmdline>/);
    assert.doesNotMatch(custom, /<initrd>/);
  });

  it('puts disks on the bus the image asks for, and refuses an unknown one', () => {
    const xml = renderDomainXml(spec({}, image({ hw_disk_bus: 'sata' })), settings);
    assert.match(xml, /<target dev='sda' bus='sata'\/>[\s\S]*<target dev='sdb' bus='sata'\/>/);
    assert.throws(() => renderDomainXml(spec({}, image({ hw_disk_bus: 'floppy' })), settings), /hw_disk_bus=floppy/);
    assert.deepEqual([0, 1, 25, 26, 27].map((i) => deviceName('virtio', i)), ['vda', 'vdb', 'vdz', 'vdaa', 'vdab']);
  });

  it('gives one NIC per VIF on its bridge, and none without VIFs', () => {
    const s = spec();
    s.instance.network_info = [vif('1', 'br100', 'fa:16:3e:00:00:01'), vif('2', 'br200', 'fa:16:3e:00:00:02')];
    const xml = renderDomainXml(s, settings);
    const nics = [...xml.matchAll(/<mac address='([^']+)'\/>\s*<source bridge='([^']+)'\/>\s*<target dev='([^']+)'\/>\s*<model type='virtio'\/>/g)].map((m) => m.slice(1).join(' '));
    assert.deepEqual(nics, ['fa:16:3e:00:00:01 br100 tap1', 'fa:16:3e:00:00:02 br200 tap2']);
    s.instance.network_info = [vif('3', null, 'fa:16:3e:00:00:03')];
    assert.throws(() => renderDomainXml(s, settings), /VIF 3 .* has no bridge/);
  });

  it('with [DEFAULT] network_namespace, gives ethernet NICs on their named taps (plugged by the driver, not libvirt)', () => {
    const nsSettings = readSettings(libvirtConf({ instances_path: '/i', network_namespace: 'netns1' }));
    const s = spec();
    s.instance.network_info = [vif('1', 'br100', 'fa:16:3e:00:00:01')];
    const xml = renderDomainXml(s, nsSettings);
    assert.match(xml, /<interface type='ethernet'>\s*<mac address='fa:16:3e:00:00:01'\/>\s*<target dev='tap1'\/>\s*<model type='virtio'\/>\s*<\/interface>/);
    assert.doesNotMatch(xml, /<source bridge=/);
    s.instance.network_info = [{ ...vif('2', 'br100', 'fa:16:3e:00:00:02'), devname: undefined }];
    assert.throws(() => renderDomainXml(s, nsSettings), /VIF 2 .* has no tap device name/);
  });

  it('leaves graphics out when VNC and SPICE are disabled, and uses the CPU mode', () => {
    const s2 = readSettings(libvirtConf({ 'vnc.enabled': 'false', 'libvirt.cpu_mode': 'custom', 'libvirt.cpu_models': 'Nehalem' }));
    const xml = renderDomainXml(spec(), s2);
    assert.doesNotMatch(xml, /<graphics|<video/);
    assert.match(xml, /<cpu mode='custom' match='exact'>\s*<model fallback='allow'>Nehalem<\/model>\s*<topology sockets='2'/);
  });

  it('with [serial_console] enabled, the serial port listens on TCP at proxyclient_address and still logs to console.log', () => {
    const serial = readSettings(libvirtConf({ 'serial_console.enabled': 'true', 'serial_console.proxyclient_address': '127.0.0.3' }));
    const xml = renderDomainXml(spec({ serialPort: 10005 }), serial);
    assert.match(xml, /<serial type='tcp'>\s*<source mode='bind' host='127\.0\.0\.3' service='10005'\/>\s*<protocol type='raw'\/>\s*<log file='\/i\/u\/console.log' append='on'\/>\s*<\/serial>/);
    assert.doesNotMatch(xml, /type='pty'/);
    assert.throws(() => renderDomainXml(spec(), serial), /\[serial_console\] is enabled but no serial port was picked/);
    assert.throws(() => readSettings(libvirtConf({ 'serial_console.enabled': 'true', 'serial_console.port_range': '20000:10000' })),
      /\[serial_console\] port_range '20000:10000' is not MIN:MAX/);
  });

  it('is valid against libvirt\'s domain schema (virt-xml-validate)', function () {
    if (!hasTool('virt-xml-validate') || !hasTool('xmllint')) this.skip(); // scripts/ci/setup-libvirt.sh installs both
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'domxml-'));
    const s = spec({ kernel: '/i/u/kernel', ramdisk: '/i/u/ramdisk' });
    s.instance.network_info = [vif('1', 'br100', 'fa:16:3e:00:00:01')];
    s.serialPort = 10001;
    const serial = readSettings(libvirtConf({ 'serial_console.enabled': 'true' }));
    const vifNs = readSettings(libvirtConf({ network_namespace: 'ns1' }));
    for (const [name, st] of [['a', settings], ['b', readSettings(libvirtConf({ 'libvirt.cpu_mode': 'host-model' }))], ['serial', serial], ['netns', vifNs]] as const) {
      const file = path.join(dir, `${name}.xml`);
      fs.writeFileSync(file, renderDomainXml(s, st));
      execFileSync('virt-xml-validate', [file, 'domain'], { stdio: 'pipe' });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
