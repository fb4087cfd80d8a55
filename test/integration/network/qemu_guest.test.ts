import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { instanceEc2Id } from '../../../src/db/api/ec2_ids';
import { instanceGet } from '../../../src/db/api/instances';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { attachOutside, connect } from '../../helpers/guests';
import { TEST_IMAGE_DIR, uploadTestGuest } from '../../helpers/libvirt';
import {
  deleteNamespace, dnsmasqProcesses, HostLink, hostLinks, inNs, linkToHost, links, listNamespaces, makeNamespace,
  networkTestsUnavailable, ourRules, removeHostLink, sh,
} from '../../helpers/netns';
import { nova } from '../../helpers/run_command';
import { freePort, libvirtUnavailable, virshAllNames } from '../libvirt/support';

const FIXED_RANGE = '10.70.0.0/24';
const PORT = 8080; // the test guest answers `hello from <uuid>` there (scripts/libvirt/build-test-image.sh)
const USER_DATA = 'user-data given to nova boot\nsecond line: ok';

/** The lines the test guest prints, from console-log text (the serial console ends lines with \r\n). */
export function guestReport(consoleText: string): { ip?: string; ips: string[]; instanceId?: string; uuid?: string; userData?: string } {
  const text = consoleText.replace(/\r\n/g, '\n');
  const ips = [...text.matchAll(/^NOVA-TEST-GUEST-IP (\S+)$/gm)].map((m) => m[1]);
  const ip = ips[0];
  const md = /^NOVA-TEST-GUEST-METADATA instance-id=(\S+) uuid=(\S+)$/m.exec(text);
  const ud = /^NOVA-TEST-GUEST-USER-DATA-BEGIN\n([\s\S]*?)\n?\nNOVA-TEST-GUEST-USER-DATA-END$/m.exec(text);
  return { ip, ips, instanceId: md?.[1], uuid: md?.[2], userData: ud?.[1] };
}

/**
 * The network and metadata issues' end-to-end check with a real QEMU guest: the whole cloud (Image,
 * API, conductor, scheduler, compute with libvirt.LibvirtDriver on QEMU, nova-network FlatDHCPManager,
 * nova-api-metadata) boots the test guest with `nova boot`; the guest takes its fixed IP from our
 * dnsmasq, reads its instance-id and user-data through the 169.254.169.254 DNAT, and prints them, which
 * `nova console-log` shows; an "outside" namespace reaches it through a floating IP only while a
 * security group rule opens the port; afterwards nothing of it is left.
 *
 * Where traffic goes: nova-network works inside a namespace the test makes (`network_namespace`);
 * the driver moves the guest's tap there (src/drivers/libvirt/vifs.ts). nova-api-metadata runs in
 * this process, in the host namespace, listening only on the host end of a veth pair into that
 * namespace (metadata_host), so guest traffic never leaves the test's devices.
 */
describe('a real QEMU guest on nova-network (FlatDHCP): DHCP, metadata, floating IP, security groups', function () {
  this.timeout(600_000);
  let cloud: TestCloud | undefined;
  let hostNs = '';
  let outNs = '';
  let mdLink: HostLink | undefined;
  let dir = '';
  let statePath = '';
  let serverId = '';
  let instanceName = '';
  let tap = '';
  let fixedIp = '';
  let floatingIp = '';
  let opts: string[] = [];
  const alice = { token: 'alice:p1', version: '2.35' };
  const admin = { token: 'admin:admin', version: '2.35' };

  const run = async (...args: string[]) => {
    const r = await nova([...args, ...(args.includes('--os-token') ? [] : opts)]);
    assert.equal(r.exitCode, 0, `nova ${args.join(' ')} failed: ${r.stderr}`);
    return r;
  };
  const consoleLog = async () => (await run('console-log', serverId)).stdout;

  before(async function () {
    const why = networkTestsUnavailable() ?? libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    const version = Number(fs.readFileSync(path.join(TEST_IMAGE_DIR, 'VERSION'), 'utf8'));
    if (!(version >= 7)) throw new Error(`the test image in ${TEST_IMAGE_DIR} (version ${version}) has no NIC support: rebuild it with scripts/ci/setup-libvirt.sh`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-qemu-net-'));
    fs.chmodSync(dir, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    hostNs = makeNamespace('q');
    outNs = attachOutside(hostNs, 'pub0', '192.0.2.1/24', '192.0.2.2/24', ['203.0.113.0/28']);
    mdLink = linkToHost(hostNs, [FIXED_RANGE]);
    const metadataPort = String(await freePort());
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'network', 'api', 'api-metadata'],
      overrides: {
        compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', instances_path: path.join(dir, 'instances'), image_cache_manager_interval: '0',
        // libvirtd is shared with other test runs: a domain name of this run's own.
        instance_name_template: `qnet${process.pid}-%08x`,
        network_manager: 'nova.network.manager.FlatDHCPManager', network_namespace: hostNs, public_interface: 'pub0', routing_source_ip: '192.0.2.1',
        floating_range: '203.0.113.0/28', dhcp_lease_time: '120',
        metadata_host: mdLink.hostAddr, metadata_port: metadataPort, metadata_listen: mdLink.hostAddr, metadata_listen_port: metadataPort,
      },
    });
    statePath = cloud.statePath;
    opts = ['--os-token', alice.token, '--os-endpoint-override', cloud.computeUrl];
    const asAdmin = ['--os-token', admin.token, '--os-endpoint-override', cloud.computeUrl];
    const created = (await run('network-create', '--fixed-range-v4', FIXED_RANGE, 'private', '--json', ...asAdmin)).json<{ cidr: string }>();
    assert.equal(created.cidr, FIXED_RANGE);
    await run('flavor-create', 'net.tiny', 'auto', '128', '1', '1', ...asAdmin);
  });

  after(async () => {
    // Only what a failed test left: the last test checks that nothing is left after a clean run.
    if (serverId) await nova(['delete', serverId, ...opts]).catch(() => undefined);
    await cloud?.stop().catch(() => undefined);
    if (instanceName && virshAllNames().includes(instanceName)) {
      sh('virsh', ['-c', 'qemu:///system', 'destroy', instanceName]);
      sh('virsh', ['-c', 'qemu:///system', 'undefine', instanceName]);
    }
    if (mdLink) removeHostLink(mdLink);
    for (const ns of [outNs, hostNs]) if (ns) deleteNamespace(ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('nova boot: the guest gets from our dnsmasq exactly the fixed IP the API reports (console-log)', async () => {
    const userData = path.join(dir, 'user-data');
    fs.writeFileSync(userData, USER_DATA);
    const imageId = await uploadTestGuest(cloud!);
    await run('boot', '--flavor', 'net.tiny', '--image', imageId, '--user-data', userData, '--poll', 'qemu-net');
    serverId = (await run('list', '--json')).json<Array<{ id: string; name: string }>>().find((s) => s.name === 'qemu-net')!.id;
    // As admin, to see OS-EXT-SRV-ATTR:instance_name.
    const server = (await run('show', serverId, '--json', '--os-token', admin.token, '--os-endpoint-override', cloud!.computeUrl)).json<Record<string, any>>();
    assert.equal(server.status, 'ACTIVE');
    instanceName = server['OS-EXT-SRV-ATTR:instance_name'];
    assert.ok(instanceName);
    const addresses = server.addresses.private as Array<{ addr: string; 'OS-EXT-IPS:type': string; 'OS-EXT-IPS-MAC:mac_addr': string }>;
    assert.equal(addresses.length, 1);
    fixedIp = addresses[0].addr;
    assert.ok(fixedIp.startsWith('10.70.0.'), fixedIp);

    // The NIC is the libvirt driver's: on the instance's tap, which is plugged into the bridge in hostNs.
    const domXml = sh('virsh', ['-c', 'qemu:///system', 'dumpxml', instanceName]);
    const nic = /<interface type='ethernet'>[\s\S]*?<mac address='([^']+)'\/>[\s\S]*?<target dev='([^']+)'/.exec(domXml);
    assert.ok(nic, `no ethernet interface in the domain:\n${domXml}`);
    assert.equal(nic[1], addresses[0]['OS-EXT-IPS-MAC:mac_addr'], 'the NIC has the MAC of the VIF');
    tap = nic[2];
    assert.deepEqual(links(hostNs).filter((l) => l.name === tap).map((l) => l.master), ['br100']);
    assert.ok(!hostLinks().includes(tap), 'the tap left the host namespace');

    const report = await waitFor(async () => { const r = guestReport(await consoleLog()); return r.ip ? r : undefined; }, 180_000, 'the guest to print its IP');
    assert.equal(report.ip, fixedIp);
  });

  it('the guest reads its instance-id, uuid and user-data from 169.254.169.254 (console-log)', async () => {
    const report = await waitFor(async () => { const r = guestReport(await consoleLog()); return r.userData !== undefined ? r : undefined; }, 180_000, 'the guest to print its metadata');
    assert.equal(report.instanceId, instanceEc2Id(await instanceGet(serverId)));
    assert.equal(report.uuid, serverId);
    assert.equal(report.userData, USER_DATA);
  });

  it('after a hard reboot the driver plugs the new tap again and the guest gets the same address', async () => {
    await run('reboot', '--hard', serverId);
    await waitFor(async () => (await run('show', serverId, '--json')).json<Record<string, any>>().status === 'ACTIVE', 120_000, 'ACTIVE after reboot');
    const report = await waitFor(async () => { const r = guestReport(await consoleLog()); return r.ips.length >= 2 ? r : undefined; }, 180_000, 'the guest to print its IP again');
    assert.deepEqual(report.ips, [fixedIp, fixedIp]);
    assert.deepEqual(links(hostNs).filter((l) => l.name === tap).map((l) => l.master), ['br100']);
  });

  it('an outside namespace reaches the guest through a floating IP only while a security group rule opens the port', async () => {
    const hello = `hello from ${serverId}`;
    assert.equal(connect(hostNs, fixedIp, PORT, 10_000), hello, 'the guest answers on its network');
    floatingIp = (await run('floating-ip-create', 'nova', '--json')).json<{ ip: string }>().ip;
    await run('floating-ip-associate', serverId, floatingIp);
    assert.equal(connect(outNs, floatingIp, PORT, 5000), null, 'the default group lets nothing in from outside');

    const group = (await run('list-secgroup', serverId, '--json')).json<Array<{ name: string }>>()[0].name;
    const rule = [group, 'tcp', String(PORT), String(PORT), '0.0.0.0/0'];
    await run('secgroup-add-rule', ...rule);
    assert.equal(connect(outNs, floatingIp, PORT, 10_000), hello, 'reached through the floating IP once the rule opens the port');
    await run('secgroup-delete-rule', ...rule);
    assert.equal(connect(outNs, floatingIp, PORT, 5000), null, 'closed again when the rule goes');
    assert.equal(connect(hostNs, fixedIp, PORT, 10_000), hello, 'while the guest still answers on its network');
    await run('floating-ip-disassociate', serverId, floatingIp);
  });

  it('nova delete and stopping the cloud leave no domain, disk, tap, bridge, rule, dnsmasq or namespace', async () => {
    await run('delete', serverId);
    await waitFor(async () => (await nova(['show', serverId, ...opts])).exitCode !== 0, 120_000, 'server gone');
    serverId = '';
    assert.ok(!virshAllNames().includes(instanceName), `domain ${instanceName} is still defined`);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'instances')).filter((f) => f !== '_base' && f !== 'locks'), [], 'instance directory left behind');
    assert.ok(!links(hostNs).some((l) => l.name === tap) && !hostLinks().includes(tap), `tap ${tap} left behind`);
    const asAdmin = ['--os-token', admin.token, '--os-endpoint-override', cloud!.computeUrl];
    const net = (await run('network-list', '--json', ...asAdmin)).json<Array<{ id: string }>>()[0];
    await run('network-delete', net.id, ...asAdmin);
    await cloud!.stop();
    cloud = undefined;

    assert.deepEqual(ourRules(hostNs), [], 'nova-network rules left in its namespace');
    assert.deepEqual(links(hostNs).filter((l) => l.kind === 'bridge' || l.kind === 'tun'), [], 'bridge or tap left');
    assert.deepEqual(dnsmasqProcesses(statePath), [], 'dnsmasq left running');
    assert.deepEqual(sh('iptables-save', []).split('\n').filter((l) => l.includes('nova-network-')), [], 'nova-network touched the host namespace');
    assert.equal(inNs(hostNs, 'ip', '-4', 'addr', 'show', 'dev', 'pub0').includes(floatingIp), false, 'floating IP still bound');
    removeHostLink(mdLink!);
    deleteNamespace(outNs);
    deleteNamespace(hostNs);
    assert.ok(!listNamespaces().some((n) => n === hostNs || n === outNs), 'namespace left');
    assert.ok(!hostLinks().includes(mdLink!.hostIf), 'veth to the host left');
    mdLink = undefined;
  });
});
