import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openstackRunner } from '../../helpers/openstack';
import { addDummy, deleteNamespace, makeNamespace, networkTestsUnavailable, ourRules } from '../../helpers/netns';
import { NetworkCloud, startNetworkCloud } from '../../helpers/network';

/**
 * The openstack CLI's compute-network commands (python3-openstackclient 6.0 uses the Compute API's
 * proxies when the catalog has no `network` service) against the built-in Identity and nova-network
 * working in a namespace.
 */
describe('openstack CLI network commands against nova-network', function () {
  this.timeout(300000);
  let cloud: NetworkCloud;
  let home: string;
  let ns = '';

  /** The real openstack CLI with the environment of the cloud's openrc (test/helpers/openstack.ts). */
  let osc: ReturnType<typeof openstackRunner> | undefined;
  function openstack(...args: string[]): Promise<any> {
    osc ??= openstackRunner({ openrc: path.join(cloud.statePath, 'openrc') });
    return osc.call(...args);
  }

  before(async function () {
    if (networkTestsUnavailable()) this.skip();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-cli-home-'));
    ns = makeNamespace('cli');
    addDummy(ns, 'pub0', '192.0.2.1/24');
    cloud = await startNetworkCloud({
      network_namespace: ns, public_interface: 'pub0', routing_source_ip: '192.0.2.1', metadata_host: '192.0.2.1', floating_range: '203.0.113.0/29',
    }, { auth: 'keystone' });
  });
  after(async () => {
    osc?.cleanup();
    await cloud?.stop();
    if (ns) deleteNamespace(ns);
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('creates, lists, shows and deletes networks', async () => {
    const made = await openstack('network', 'create', '--subnet', '10.90.0.0/24', 'cli-net', '-f', 'json');
    assert.equal(made.label, 'cli-net');
    assert.equal(made.cidr, '10.90.0.0/24');
    const list = await openstack('network', 'list', '-f', 'json');
    assert.deepEqual(list.map((n: { Name: string; Subnet: string }) => [n.Name, n.Subnet]), [['cli-net', '10.90.0.0/24']]);
    const shown = await openstack('network', 'show', 'cli-net', '-f', 'json');
    assert.equal(shown.id, made.id);
    await openstack('network', 'delete', 'cli-net');
    assert.deepEqual(await openstack('network', 'list', '-f', 'json'), []);
  });

  it('creates security groups and rules', async () => {
    const group = await openstack('security', 'group', 'create', '--description', 'web servers', 'web', '-f', 'json');
    assert.deepEqual([group.name, group.description], ['web', 'web servers']);
    const rule = await openstack('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '80:81', 'web', '-f', 'json');
    assert.deepEqual([rule.ip_protocol, rule.port_range, rule.ip_range], ['tcp', '80:81', '0.0.0.0/0']);
    const groups = await openstack('security', 'group', 'list', '-f', 'json');
    assert.ok(groups.some((g: { Name: string }) => g.Name === 'web'));
    assert.ok(groups.some((g: { Name: string }) => g.Name === 'default'));
  });

  let fip: { ip: string; pool: string };
  it('lists floating IP pools and allocates from one', async () => {
    assert.deepEqual(await openstack('floating', 'ip', 'pool', 'list', '-f', 'json'), [{ Name: 'nova' }]);
    fip = await openstack('floating', 'ip', 'create', 'nova', '-f', 'json');
    assert.equal(fip.ip, '203.0.113.1');
    assert.equal(fip.pool, 'nova');
    assert.deepEqual((await openstack('floating', 'ip', 'list', '-f', 'json')).map((f: { 'Floating IP Address': string }) => f['Floating IP Address']), [fip.ip]);
  });

  it('adds the floating IP to a server', async () => {
    const token = await openstack('token', 'issue', '-f', 'json');
    const made = await openstack('network', 'create', '--subnet', '10.91.0.0/24', 'cli-boot', '-f', 'json');
    const inst = await cloud.boot(token.project_id, { name: 'cli-vm' });
    try {
      const fixed = inst.network_info[0].network.subnets[0].ips[0].address;
      await openstack('server', 'add', 'floating', 'ip', inst.uuid, fip.ip);
      assert.ok(ourRules(ns).includes(`-A nova-network-PREROUTING -d ${fip.ip}/32 -j DNAT --to-destination ${fixed}`));
      const listed = await openstack('floating', 'ip', 'list', '-f', 'json');
      assert.deepEqual(listed.map((f: { 'Floating IP Address': string; 'Fixed IP Address': string }) => [f['Floating IP Address'], f['Fixed IP Address']]), [[fip.ip, fixed]]);
      const shown = await openstack('server', 'show', inst.uuid, '-f', 'json');
      assert.deepEqual(shown.addresses, { 'cli-boot': [fixed, fip.ip] });
    } finally {
      await cloud.destroy(inst);
      await openstack('network', 'delete', made.id);
    }
  });
});
