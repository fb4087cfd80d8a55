import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalExecutor } from '../../../src/drivers/libvirt/executor/local';
import { InstanceFiles } from '../../../src/drivers/libvirt/instance_files';
import { parsePortRange, SerialPorts, serialPortOf, withSerialPort } from '../../../src/drivers/libvirt/serial_ports';

const tcpSerial = (port: number) => `<domain><devices><serial type='tcp'>\n  <source mode='bind' host='127.0.0.1' service='${port}' tls='no'/>\n</serial></devices></domain>`;

describe('libvirt/serial_ports: TCP ports of guests\' serial consoles', () => {
  let dir: string;
  const listeners: net.Server[] = [];
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-serial-ports-')); });
  afterEach(async () => {
    for (const l of listeners.splice(0)) await new Promise((r) => l.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A free range of `n` ports starting where the OS just handed one out. */
  const freeBase = async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    return Math.min(port, 65530);
  };
  const writeXml = (uuid: string, xml: string) => {
    fs.mkdirSync(path.join(dir, uuid), { recursive: true });
    fs.writeFileSync(path.join(dir, uuid, 'libvirt.xml'), xml);
  };
  const ports = (min: number, max: number) =>
    new SerialPorts({ exec: new LocalExecutor(), instancesPath: dir, settings: { enabled: true, listen: '127.0.0.1', portRange: { min, max } }, local: true });

  it('reads MIN:MAX and a domain\'s TCP serial port', () => {
    assert.deepEqual(parsePortRange('10000:20000'), { min: 10000, max: 20000 });
    assert.throws(() => parsePortRange('10000-20000'), /port_range '10000-20000' is not MIN:MAX/);
    assert.throws(() => parsePortRange('0:5'), /not MIN:MAX/);
    assert.equal(serialPortOf(tcpSerial(10007)), 10007);
    assert.equal(serialPortOf("<serial type='pty'><source path='/dev/pts/3'/></serial>"), null);
  });

  it('skips ports in domain XMLs, ports promised to guests being defined, and ports someone listens on', async () => {
    const base = await freeBase();
    writeXml('a', tcpSerial(base));
    const busy = net.createServer();
    listeners.push(busy);
    await new Promise<void>((r) => busy.listen(base + 1, '127.0.0.1', r));
    const p = ports(base, base + 4);
    const first = await p.forGuest(new InstanceFiles(dir, 'new-1'));
    assert.equal(first, base + 2);
    const second = await p.forGuest(new InstanceFiles(dir, 'new-2'));
    assert.equal(second, base + 3, 'a port promised but not yet written is not handed out twice');
    p.written(tcpSerial(first!));
    writeXml('new-1', tcpSerial(first!));
    assert.equal(await p.forGuest(new InstanceFiles(dir, 'new-1')), first, 'a guest redefined keeps its port');
    assert.equal(await p.forGuest(new InstanceFiles(dir, 'new-3')), base + 4);
    await assert.rejects(p.forGuest(new InstanceFiles(dir, 'new-4')), new RegExp(`no free serial console port in \\[serial_console\\] port_range ${base}:${base + 4} on this host: widen the range`));
  });

  it('hands out nothing while serial consoles are off', async () => {
    const off = new SerialPorts({ exec: new LocalExecutor(), instancesPath: dir, settings: { enabled: false, listen: '127.0.0.1', portRange: { min: 1, max: 0 } }, local: true });
    assert.equal(await off.forGuest(new InstanceFiles(dir, 'x')), null);
    assert.equal(await off.reserve(), null);
  });

  it('reserves a port for a guest arriving by live migration, and gives it back when the migration fails', async () => {
    const base = await freeBase();
    const p = ports(base, base + 1);
    const held = await p.reserve();
    assert.equal(held, base);
    assert.equal(await p.forGuest(new InstanceFiles(dir, 'other')), base + 1, 'a reserved port is not handed out again');
    p.release(held!);
    assert.equal(await p.reserve(), base);
  });

  it('moves a domain\'s TCP serial console (and the <console> mirroring it) to another address and port', () => {
    const xml = `<domain><devices>
    <serial type='tcp'>
      <source mode='bind' host='127.0.0.1' service='10000' tls='no'/>
      <protocol type='raw'/>
      <log file='/i/console.log' append='on'/>
    </serial>
    <console type='tcp'>
      <source mode='bind' host='127.0.0.1' service='10000' tls='no'/>
      <protocol type='raw'/>
    </console>
    <console type='pty'><source path='/dev/pts/3'/></console>
    </devices></domain>`;
    const moved = withSerialPort(xml, '192.0.2.7', 20100);
    assert.equal(serialPortOf(moved), 20100);
    assert.equal(moved.match(/<source mode='bind' host='192.0.2.7' service='20100' tls='no'\/>/g)?.length, 2);
    assert.ok(!moved.includes('10000'));
    assert.ok(moved.includes("<source path='/dev/pts/3'/>"), 'other consoles are left alone');
    assert.equal(withSerialPort("<serial type='pty'><source path='/dev/pts/3'/></serial>", '192.0.2.7', 20100), "<serial type='pty'><source path='/dev/pts/3'/></serial>");
  });
});
