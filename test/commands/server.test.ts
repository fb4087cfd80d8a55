import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IMAGE_ID } from '../helpers/compute_fixtures';
import { FakeServersApi } from '../helpers/fake_servers';
import { nova, parseDict, parseTable } from '../helpers/run_command';

// The servers API is written in parallel: these run the commands against a stand-in that checks
// the requests and answers bodies shaped like the Compute API reference's.
describe('nova boot / list / show / delete (against a stand-in Compute API)', () => {
  let api: FakeServersApi;
  let auth: string[];
  const A = 'a1a1a1a1-0000-4000-8000-000000000001';
  const B = 'b2b2b2b2-0000-4000-8000-000000000002';

  beforeEach(async () => {
    api = await new FakeServersApi().start();
    auth = api.auth();
    api.addServer(A, 'web', { addresses: { private: [{ addr: '10.0.0.5', version: 4 }, { addr: 'fd00::5', version: 6 }], public: [{ addr: '172.24.4.5', version: 4 }] } });
    api.addServer(B, 'app', { status: 'SHUTOFF', power_state: 4, tenant_id: 'other' });
  });
  afterEach(async () => { await api.stop(); });

  it('boots with novaclient\'s request body, resolving image and flavor names, and shows the new server', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-ud-'));
    const userData = path.join(dir, 'ud.sh');
    fs.writeFileSync(userData, '#!/bin/sh\necho hi\n');
    const out = await nova(['boot', '--flavor', 'm1.tiny', '--image', 'cirros', '--key-name', 'mykey', '--meta', 'role=web', '--meta', 'tier=1',
      '--user-data', userData, '--availability-zone', 'nova', '--max-count', '2', '--nic', 'none', '--description', 'front end',
      '--tags', 'a,b', '--hint', 'group=g1', '--hint', 'same_host=x', '--hint', 'same_host=y', 'vm1', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const create = api.calls.find((c) => c.method === 'POST' && c.path === '/servers')!;
    assert.equal(create.headers['openstack-api-version'], 'compute 2.96');
    assert.deepEqual(create.body, {
      server: {
        name: 'vm1', imageRef: IMAGE_ID, flavorRef: '1', min_count: 1, max_count: 2,
        user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'), metadata: { role: 'web', tier: '1' }, key_name: 'mykey',
        availability_zone: 'nova', networks: 'none', description: 'front end', tags: ['a', 'b'],
      },
      'os:scheduler_hints': { group: 'g1', same_host: ['x', 'y'] },
    });
    // The image name was resolved through the compute image proxy (no catalog with a bare token), at 2.35.
    const imageLookup = api.calls.find((c) => c.path === '/images/detail')!;
    assert.equal(imageLookup.query.get('name'), 'cirros');
    assert.equal(imageLookup.headers['openstack-api-version'], 'compute 2.35');
    const shown = parseDict(out.stdout);
    assert.equal(shown.adminPass, 'Ab3dEf9Ghi');
    assert.equal(shown.status, 'BUILD');
    assert.equal(shown['flavor:original_name'], 'm1.tiny');
    assert.equal(shown.image, `cirros (${IMAGE_ID})`);
    assert.equal(shown.security_groups, 'default');
    assert.ok(!('links' in shown) && !('addresses' in shown) && !('OS-EXT-SRV-ATTR:user_data' in shown));
  });

  it('boots with --poll: the server table first, then progress until ACTIVE', async () => {
    const out = await nova(['boot', '--flavor', '1', '--image', IMAGE_ID, '--poll', '--poll-interval', '0', 'vm2', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const tableEnd = out.stdout.lastIndexOf('+\n') + 2;
    assert.ok(parseDict(out.stdout.slice(0, tableEnd)).id);
    assert.equal(out.stdout.slice(tableEnd),
      '\n\rServer building... 80% complete (spawning)\rServer building... 100% complete          \nFinished\n');
    assert.equal(api.calls.find((c) => c.path === '/servers')!.body.server.networks, 'auto', 'no --nic means auto since 2.37');
    const json = await nova(['boot', '--flavor', '1', '--image', IMAGE_ID, '--poll', '--poll-interval', '0', '--json', 'vm3', ...auth]);
    assert.equal(json.json().status, 'ACTIVE');
    assert.equal(json.json().adminPass, 'Ab3dEf9Ghi');
  });

  it('stops a boot --poll at ERROR with the fault', async () => {
    api.buildOutcome = 'ERROR';
    const out = await nova(['boot', '--flavor', '1', '--image', IMAGE_ID, '--poll', '--poll-interval', '0', 'bad', ...auth]);
    assert.equal(out.exitCode, 1);
    assert.match(out.stdout, /\+\n\n\rServer building\.\.\. 80% complete \(spawning\)\nError building server\n$/);
    assert.equal(out.stderr, "ERROR (ResourceInErrorState): `Server` resource is in the error state due to 'No valid host was found. There are not enough hosts available.'.\n");
  });

  it('refuses bad boot arguments before sending anything', async () => {
    const cases: Array<[string[], string]> = [
      [['--image', 'cirros', 'x'], 'you need to specify a Flavor ID.'],
      [['--flavor', '1', 'x'], 'you need to specify at least one source ID (Image, Snapshot, or Volume), a block device mapping or provide a set of properties to match against an image'],
      [['--flavor', '1', '--image', 'nope', 'x'], "No image with a name or ID of 'nope' exists."],
      [['--flavor', 'm9', '--image', 'cirros', 'x'], "No flavor with a name or ID of 'm9' exists."],
      [['--flavor', '1', '--image', 'cirros', '--min-count', '3', '--max-count', '2', 'x'], 'min_count should be <= max_count'],
      [['--flavor', '1', '--image', 'cirros', '--meta', 'novalue', 'x'], "'novalue' is not in the format of 'key=value'"],
      [['--flavor', '1', '--image', 'cirros', '--nic', 'none', '--nic', 'auto', 'x'], "Invalid nic argument 'auto'."],
      [['--flavor', '1', '--image', 'cirros', '--nic', 'net-id=n1,port-id=p1', 'x'], "Invalid nic argument 'net-id=n1,port-id=p1'."],
      [['--flavor', '1', '--image', 'cirros', '--nic', 'net-id=n1,v4-fixed-ip=300.1.1.1', 'x'], 'Invalid ipv4 address.'],
      [['--flavor', '1', '--image', 'cirros', '--user-data', '/no/such/file', 'x'], "Can't open '/no/such/file'"],
    ];
    for (const [args, message] of cases) {
      const out = await nova(['boot', ...args, ...auth]);
      assert.equal(out.exitCode, 1, args.join(' '));
      assert.ok(out.stderr.startsWith(`ERROR (CommandError): ${message}`), `${args.join(' ')}: ${out.stderr}`);
    }
    assert.ok(!api.calls.some((c) => c.method === 'POST'));
  });

  it('sends nics as networks: net-id, port-id, fixed IPs and tags', async () => {
    await nova(['boot', '--flavor', '1', '--image', 'cirros', '--nic', 'net-id=n1,v4-fixed-ip=10.0.0.9,tag=eth0', '--nic', 'port-id=p2', 'x', ...auth]);
    assert.deepEqual(api.calls.find((c) => c.path === '/servers')!.body.server.networks, [{ uuid: 'n1', fixed_ip: '10.0.0.9', tag: 'eth0' }, { port: 'p2' }]);
  });

  it('lists servers like novaclient: columns, networks, power states, sorted by name', async () => {
    const out = await nova(['list', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.match(out.stdout.split('\n')[1], /^\| ID +\| Name +\| Status +\| Task State +\| Power State +\| Networks +\|$/);
    assert.deepEqual(parseTable(out.stdout), [
      { ID: B, Name: 'app', Status: 'SHUTOFF', 'Task State': '-', 'Power State': 'Shutdown', Networks: 'private=10.0.0.5' },
      { ID: A, Name: 'web', Status: 'ACTIVE', 'Task State': '-', 'Power State': 'Running', Networks: 'private=10.0.0.5, fd00::5; public=172.24.4.5' },
    ]);
    assert.equal(api.last().path, '/servers/detail');
    assert.equal(api.last().query.toString(), '');
  });

  it('sends list filters in novaclient\'s order and adapts the columns', async () => {
    const out = await nova(['server', 'list', '--all-tenants', '--status', 'ACTIVE', '--name', 'w', '--host', 'compute1', '--changes-since', '2026-01-01T00:00:00Z',
      '--tags', 't1,t2', '--sort', 'name:asc,created_at', '--limit', '5', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.equal(api.last().query.toString(),
      'all_tenants=1&changes-since=2026-01-01T00%3A00%3A00Z&host=compute1&limit=5&name=w&sort_dir=asc&sort_dir=desc&sort_key=name&sort_key=created_at&status=ACTIVE&tags=t1%2Ct2');
    const head = out.stdout.split('\n')[1].split('|').map((c) => c.trim()).filter(Boolean);
    assert.deepEqual(head, ['ID', 'Name', 'Tenant ID', 'Status', 'Task State', 'Power State', 'Networks', 'Updated']);
    const bad = await nova(['list', '--changes-since', 'yesterday', ...auth]);
    assert.equal(bad.stderr, 'ERROR (CommandError): Invalid changes-since value: yesterday\n');
    const dir = await nova(['list', '--sort', 'name:up', ...auth]);
    assert.equal(dir.stderr, 'ERROR (CommandError): Unknown sort direction: up\n');
  });

  it('lists chosen --fields with novaclient titles, and names unknown ones', async () => {
    const out = await nova(['list', '--fields', 'name,OS-EXT-STS:vm_state,flavor:original_name,networks,security_groups,name', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const rows = parseTable(out.stdout);
    assert.deepEqual(Object.keys(rows[0]), ['ID', 'Name', 'OS-EXT-STS: Vm State', 'flavor: Original Name', 'Networks', 'Security Groups']);
    assert.equal(rows[1]['OS-EXT-STS: Vm State'], 'active');
    assert.equal(rows[1]['flavor: Original Name'], 'm1.tiny');
    assert.equal(rows[1]['Security Groups'], 'default, default');
    const bad = await nova(['list', '--fields', 'name,bogus,nope', ...auth]);
    assert.equal(bad.stderr, "ERROR (CommandError): Non-existent fields are specified: ['bogus', 'nope']\n");
  });

  it('lists --minimal from /servers and pages through everything with --limit -1', async () => {
    const min = await nova(['list', '--minimal', ...auth]);
    assert.deepEqual(parseTable(min.stdout), [{ ID: B, Name: 'app' }, { ID: A, Name: 'web' }]);
    assert.equal(api.last().path, '/servers');
    api.clear();
    const all = await nova(['list', '--limit', '-1', '--json', ...auth]);
    assert.equal(all.json().length, 2);
    assert.deepEqual(api.calls.map((c) => c.query.get('marker')), [null, B]);
  });

  it('shows a server by name: networks, expanded flavor, image name; --minimal skips lookups', async () => {
    const out = await nova(['show', 'web', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const d = parseDict(out.stdout);
    assert.equal(d['private network'], '10.0.0.5, fd00::5');
    assert.equal(d['public network'], '172.24.4.5');
    assert.equal(d['flavor:original_name'], 'm1.tiny');
    assert.equal(d['flavor:extra_specs'], '{"hw:cpu_policy": "shared"}');
    assert.equal(d.image, `cirros (${IMAGE_ID})`);
    assert.equal(d.security_groups, 'default');
    assert.equal(d['OS-EXT-STS:task_state'], '-');
    assert.equal(d.metadata, '{"role": "web"}');
    const keys = Object.keys(d);
    assert.deepEqual(keys, [...keys].sort(), 'rows sorted by property');
    assert.deepEqual(api.calls.slice(0, 2).map((c) => `${c.path}?${c.query}`), ['/servers?name=web', `/servers/${A}?`]);
    const min = parseDict((await nova(['show', '--minimal', A, ...auth])).stdout);
    assert.equal(min.image, IMAGE_ID);
    assert.equal(min.flavor, 'm1.tiny');
  });

  it('shows the flavor by name (id) before 2.47', async () => {
    api.servers.get(A)!.flavor = { id: '1', links: [] };
    const d = parseDict((await nova(['show', A, '--os-compute-api-version', '2.46', ...auth])).stdout);
    assert.equal(d.flavor, 'm1.tiny (1)');
    api.servers.get(A)!.flavor = { id: '99', links: [] };
    assert.equal(parseDict((await nova(['show', A, '--os-compute-api-version', '2.46', ...auth])).stdout).flavor, 'Flavor not found (99)');
  });

  it('refuses an ambiguous or unknown name like find_resource', async () => {
    api.addServer('c3c3c3c3-0000-4000-8000-000000000003', 'web');
    const dup = await nova(['show', 'web', ...auth]);
    assert.equal(dup.exitCode, 1);
    assert.equal(dup.stderr, "ERROR (CommandError): Multiple server matches found for 'web', use an ID to be more specific.\n");
    const none = await nova(['reboot', 'ghost', ...auth]);
    assert.equal(none.stderr, "ERROR (CommandError): No server with a name or ID of 'ghost' exists.\n");
    // A name-filter hit that is not an exact match does not count (the API filters by regex).
    const partial = await nova(['show', 'we', ...auth]);
    assert.equal(partial.stderr, "ERROR (CommandError): No server with a name or ID of 'we' exists.\n");
  });

  it('deletes several servers, reporting each, and fails at the end when one failed', async () => {
    const out = await nova(['delete', 'web', 'ghost', B, ...auth]);
    assert.equal(out.exitCode, 1);
    assert.equal(out.stdout, [
      'Request to delete server web has been accepted.',
      "No server with a name or ID of 'ghost' exists.",
      `Request to delete server ${B} has been accepted.`, '',
    ].join('\n'));
    assert.equal(out.stderr, 'ERROR (CommandError): Unable to delete the specified server(s).\n');
    assert.deepEqual(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path), [`/servers/${A}`, `/servers/${B}`]);
    api.addServer(A, 'web');
    const json = await nova(['server', 'delete', 'web', 'ghost', '--json', ...auth]);
    assert.equal(json.exitCode, 1);
    assert.deepEqual(json.json().map((r: { item: string; ok: boolean }) => [r.item, r.ok]), [['web', true], ['ghost', false]]);
  });
});
