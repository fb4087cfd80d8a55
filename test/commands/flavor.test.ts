import { strict as assert } from 'node:assert';
import { flavorBody } from '../helpers/compute_fixtures';
import { FakeComputeApi } from '../helpers/fake_api';
import { nova, parseDict, parseTable } from '../helpers/run_command';

// Against a stand-in Compute API: requests and output of the flavor commands.
describe('nova flavor-* (against a stand-in Compute API)', () => {
  let api: FakeComputeApi;
  let auth: string[];
  /** Flavors as the API shows them at the request's microversion (extra specs embedded since 2.61). */
  let at261 = true;
  const flavors = () => [flavorBody({ id: '1', name: 'm1.tiny', description: 'tiny one' }), flavorBody({ id: '42', name: 'gpu', ram: 16384, disk: 80, vcpus: 8, isPublic: false, extraSpecs: { 'pci_passthrough:alias': 'a1:1' } })];

  const versioned = (f: Record<string, unknown>) => { if (!at261) delete f.extra_specs; return f; };

  beforeEach(async () => {
    at261 = true;
    api = await new FakeComputeApi().start();
    auth = api.auth();
    api.on('GET', /^\/flavors\/([^/]+)$/, (_r, [id]) => {
      const f = flavors().find((x) => x.id === id);
      return f ? { body: { flavor: versioned(f) } } : { status: 404, body: { itemNotFound: { code: 404, message: `Flavor ${id} could not be found.` } } };
    });
    api.on('GET', '/flavors/detail', () => ({ body: { flavors: flavors().map(versioned) } }));
  });
  afterEach(async () => { await api.stop(); });

  it('lists flavors with novaclient\'s columns, extra specs and descriptions', async () => {
    const out = await nova(['flavor-list', '--extra-specs', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(parseTable(out.stdout), [
      { ID: '1', Name: 'm1.tiny', Memory_MiB: '512', Disk: '1', Ephemeral: '0', Swap: '0', VCPUs: '1', RXTX_Factor: '1', Is_Public: 'True', extra_specs: '{}', Description: 'tiny one' },
      { ID: '42', Name: 'gpu', Memory_MiB: '16384', Disk: '80', Ephemeral: '0', Swap: '0', VCPUs: '8', RXTX_Factor: '1', Is_Public: 'False', extra_specs: '{"pci_passthrough:alias": "a1:1"}', Description: '-' },
    ]);
    await nova(['flavor', 'list', '--all', '--min-ram', '1024', '--sort-key', 'name', ...auth]);
    assert.equal(api.last().query.toString(), 'minRam=1024&sort_key=name&is_public=None');
    await nova(['flavor-list', '--limit', '1', '--marker', '1', ...auth]);
    assert.equal(api.last().query.toString(), 'marker=1&limit=1');
    const old = await nova(['flavor-list', '--os-compute-api-version', '2.54', ...auth]);
    assert.ok(!old.stdout.includes('Description'));
  });

  it('shows a flavor by name, fetching extra specs before 2.61', async () => {
    api.on('GET', '/flavors/42/os-extra_specs', { body: { extra_specs: { 'pci_passthrough:alias': 'a1:1' } } });
    at261 = false;
    const out = await nova(['flavor-show', 'gpu', '--os-compute-api-version', '2.60', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const d = parseDict(out.stdout);
    assert.equal(d.id, '42');
    assert.equal(d.extra_specs, '{"pci_passthrough:alias": "a1:1"}');
    assert.ok(!('links' in d));
    assert.deepEqual(api.calls.map((c) => c.path), ['/flavors/gpu', '/flavors/detail', '/flavors/42/os-extra_specs']);
  });

  it('creates a flavor with novaclient\'s body, "auto" meaning a generated id', async () => {
    api.on('POST', '/flavors', (req) => ({ body: { flavor: { ...flavorBody({ id: 'f-new', name: req.body.flavor.name }), ...req.body.flavor, id: req.body.flavor.id ?? 'f-new' } } }));
    const out = await nova(['flavor-create', '--ephemeral', '10', '--swap', '512', '--is-public', 'false', '--description', 'big', 'm1.big', 'auto', '4096', '40', '4', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(api.last().body, {
      flavor: {
        name: 'm1.big', ram: 4096, vcpus: 4, disk: 40, id: null, swap: 512, 'OS-FLV-EXT-DATA:ephemeral': 10, rxtx_factor: 1,
        'os-flavor-access:is_public': false, description: 'big',
      },
    });
    assert.equal(parseTable(out.stdout)[0].Name, 'm1.big');
    const bad = await nova(['flavor-create', 'x', 'auto', 'lots', '1', '1', ...auth]);
    assert.equal(bad.stderr, 'ERROR (CommandError): Ram must be an integer.\n');
    const pub = await nova(['flavor-create', '--is-public', 'maybe', 'x', 'auto', '1', '1', '1', ...auth]);
    assert.equal(pub.stderr, 'ERROR (CommandError): is_public must be a boolean.\n');
  });

  it('deletes and updates a flavor found by name', async () => {
    api.on('DELETE', '/flavors/42', { status: 202 });
    api.on('PUT', '/flavors/1', (req) => ({ body: { flavor: { ...flavorBody({ id: '1', name: 'm1.tiny' }), description: req.body.flavor.description } } }));
    const del = await nova(['flavor-delete', 'gpu', '--json', ...auth]);
    assert.deepEqual(del.json(), { deleted: '42', name: 'gpu' });
    const upd = await nova(['flavor-update', 'm1.tiny', 'now described', ...auth]);
    assert.deepEqual(api.last().body, { flavor: { description: 'now described' } });
    assert.equal(parseTable(upd.stdout)[0].Description, 'now described');
    const old = await nova(['flavor-update', 'm1.tiny', 'x', '--os-compute-api-version', '2.54', ...auth]);
    assert.match(old.stderr, /flavor-update requires API version 2\.55 or later/);
  });

  it('sets and unsets extra specs, checking keys like novaclient', async () => {
    api.on('POST', '/flavors/1/os-extra_specs', (req) => ({ body: { extra_specs: req.body.extra_specs } }));
    api.on('DELETE', /^\/flavors\/1\/os-extra_specs\/(.+)$/, { status: 202 });
    await nova(['flavor-key', 'm1.tiny', 'set', 'hw:cpu_policy=dedicated', 'quota:disk_read_bytes_sec=10240', ...auth]);
    assert.deepEqual(api.last().body, { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:disk_read_bytes_sec': '10240' } });
    api.clear();
    await nova(['flavor', 'key', 'm1.tiny', 'unset', 'hw:cpu_policy', 'hw:mem_page_size', ...auth]);
    assert.deepEqual(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path), ['/flavors/1/os-extra_specs/hw%3Acpu_policy', '/flavors/1/os-extra_specs/hw%3Amem_page_size']);
    const bad = await nova(['flavor-key', 'm1.tiny', 'set', 'bad/key=1', ...auth]);
    assert.equal(bad.stderr, 'ERROR (CommandError): Invalid key: "bad/key". Keys may only contain letters, numbers, spaces, underscores, periods, colons and hyphens.\n');
  });

  it('lists, adds and removes tenant access of a private flavor', async () => {
    const access = [{ flavor_id: '42', tenant_id: 'p1' }];
    api.on('GET', '/flavors/42/os-flavor-access', () => ({ body: { flavor_access: access } }));
    api.on('POST', '/flavors/42/action', (req) => {
      if (req.body.addTenantAccess) access.push({ flavor_id: '42', tenant_id: req.body.addTenantAccess.tenant });
      if (req.body.removeTenantAccess) access.splice(access.findIndex((a) => a.tenant_id === req.body.removeTenantAccess.tenant), 1);
      return { body: { flavor_access: access } };
    });
    assert.deepEqual(parseTable((await nova(['flavor-access-list', '--flavor', 'gpu', ...auth])).stdout), [{ Flavor_ID: '42', Tenant_ID: 'p1' }]);
    const add = await nova(['flavor-access-add', 'gpu', 'p2', ...auth]);
    assert.deepEqual(api.last().body, { addTenantAccess: { tenant: 'p2' } });
    assert.equal(parseTable(add.stdout).length, 2);
    await nova(['flavor', 'access', 'remove', 'gpu', 'p1', ...auth]);
    assert.deepEqual(api.last().body, { removeTenantAccess: { tenant: 'p1' } });
    const pub = await nova(['flavor-access-list', '--flavor', 'm1.tiny', ...auth]);
    assert.equal(pub.stderr, 'ERROR (CommandError): Access list not available for public flavors.\n');
    const none = await nova(['flavor-access-list', ...auth]);
    assert.equal(none.stderr, 'ERROR (CommandError): Unable to get all access lists. Specify --flavor\n');
  });
});
