import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { WebSocket } from 'ws';
import { makeContext } from '../../../src/context';
import { serialPortOf } from '../../../src/drivers/libvirt/serial_ports';
import { Instance, instanceName } from '../../../src/objects/instance';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { bootInstance, computeApi, freePort } from '../../helpers/consoles';
import { uploadTestGuest } from '../../helpers/libvirt';
import { ACPI_LINE, libvirtUnavailable, MARKER } from '../libvirt/support';

/**
 * Serial consoles of a real guest: with [serial_console] enabled the libvirt driver gives the test
 * guest a TCP serial port from port_range, nova-serialproxy relays the URL the API hands out to it,
 * and the console log keeps working from the same serial port.
 */
describe('serial console of a libvirt guest through nova-serialproxy', function () {
  this.timeout(300000);
  let cloud: TestCloud;
  let vm: Instance;
  let proxyPort: number;
  let range: { min: number; max: number };

  before(async function () {
    const why = libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    proxyPort = await freePort();
    const base = await freePort();
    range = { min: Math.min(base, 65000), max: Math.min(base, 65000) + 100 };
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'serialproxy'],
      overrides: {
        compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', 'vnc.enabled': 'false',
        // Other test runs on this libvirtd name their guests instance-00000001 too: keep ours apart.
        instance_name_template: `serial-${process.pid}-%08x`,
        'serial_console.enabled': 'true', 'serial_console.port_range': `${range.min}:${range.max}`, 'serial_console.proxyclient_address': '127.0.0.1',
        'serial_console.serialproxy_host': '127.0.0.1', 'serial_console.serialproxy_port': String(proxyPort), 'serial_console.base_url': `ws://127.0.0.1:${proxyPort}/`,
      },
    });
    fs.chmodSync(cloud.statePath, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    vm = await bootInstance(cloud, 'serial-guest', { imageRef: await uploadTestGuest(cloud), timeoutMs: 120000 });
  });
  after(async () => {
    if (vm && cloud) await computeApi(cloud).delete(makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'] }), vm).catch(() => undefined);
    await cloud?.stop();
  });

  const consoleOutput = async () => {
    const res = await cloud.request('POST', `/servers/${vm.uuid}/action`, { token: 'alice:p1', body: { 'os-getConsoleOutput': {} } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.output as string;
  };

  it('defines the guest with a TCP serial port from port_range, and the console log still gets the boot output', async () => {
    const xml = execFileSync('virsh', ['-c', 'qemu:///system', 'dumpxml', instanceName(cloud.rt.conf.DEFAULT.instance_name_template, vm)], { encoding: 'utf8' });
    const port = serialPortOf(xml);
    assert.ok(port !== null && port >= range.min && port <= range.max, `serial port ${port} in ${range.min}:${range.max}`);
    assert.match(xml, /<serial type='tcp'>[\s\S]*<log file='[^']*console\.log'/);
    await waitFor(async () => (await consoleOutput()).includes(`${MARKER} ${vm.uuid}`), 120000, 'the boot marker in the console log');
  });

  it('relays what the guest writes on its serial port to the websocket of os-getSerialConsole\'s URL', async () => {
    const res = await cloud.request('POST', `/servers/${vm.uuid}/action`, { token: 'alice:p1', body: { 'os-getSerialConsole': { type: 'serial' } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const ws = new WebSocket(res.body.console.url);
    let seen = '';
    ws.on('message', (d: Buffer) => { seen += d.toString('latin1'); });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    // A soft stop presses the ACPI power button; the guest announces it on its serial port.
    const stop = await cloud.request('POST', `/servers/${vm.uuid}/action`, { token: 'alice:p1', body: { 'os-stop': null } });
    assert.equal(stop.status, 202, JSON.stringify(stop.body));
    await waitFor(async () => seen.includes(ACPI_LINE), 120000, `${ACPI_LINE} through the serial proxy`);
    ws.close();
  });
});
