import { strict as assert } from 'node:assert';
import { IMAGE_ID } from '../helpers/compute_fixtures';
import { FakeServersApi } from '../helpers/fake_servers';
import { nova, parseDict, parseTable } from '../helpers/run_command';

// Against the stand-in Compute API: the request each command sends, and what it prints.
describe('nova server actions, meta, tags, instance actions, image-create (against a stand-in Compute API)', () => {
  let api: FakeServersApi;
  let auth: string[];
  const A = 'a1a1a1a1-0000-4000-8000-000000000001';
  const B = 'b2b2b2b2-0000-4000-8000-000000000002';
  const actions = () => api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/action'));

  beforeEach(async () => {
    api = await new FakeServersApi().start();
    auth = api.auth();
    api.addServer(A, 'web');
    api.addServer(B, 'db');
  });
  afterEach(async () => { await api.stop(); });

  it('sends the body-less actions by their Compute API names, for the server named', async () => {
    const table: Array<[string, string]> = [
      ['pause', 'pause'], ['unpause', 'unpause'], ['suspend', 'suspend'], ['resume', 'resume'], ['unlock', 'unlock'],
      ['unrescue', 'unrescue'], ['shelve', 'shelve'], ['shelve-offload', 'shelveOffload'], ['resize-confirm', 'confirmResize'],
      ['resize-revert', 'revertResize'], ['force-delete', 'forceDelete'], ['lock', 'lock'], ['unshelve', 'unshelve'],
    ];
    for (const [command, action] of table) {
      api.clear();
      const out = await nova([command, 'web', ...auth]);
      assert.equal(out.exitCode, 0, `${command}: ${out.stderr}`);
      assert.equal(out.stdout, '', command);
      const sent = actions();
      assert.equal(sent.length, 1, command);
      assert.equal(sent[0].path, `/servers/${A}/action`);
      assert.deepEqual(sent[0].body, { [action]: null }, command);
      assert.equal(sent[0].headers['openstack-api-version'], 'compute 2.96');
    }
    const json = await nova(['server', 'pause', B, '--json', ...auth]);
    assert.deepEqual(json.json(), { server: B, name: 'db', action: 'pause' });
  });

  it('stops and starts several servers, reporting each like novaclient', async () => {
    const out = await nova(['stop', 'web', 'db', ...auth]);
    assert.equal(out.stdout, 'Request to stop server web has been accepted.\nRequest to stop server db has been accepted.\n');
    assert.deepEqual(actions().map((a) => [a.path, a.body]), [[`/servers/${A}/action`, { 'os-stop': null }], [`/servers/${B}/action`, { 'os-stop': null }]]);
    api.clear();
    const start = await nova(['server', 'start', '--all-tenants', 'web', ...auth]);
    assert.equal(start.stdout, 'Request to start server web has been accepted.\n');
    assert.equal(api.calls[0].query.get('all_tenants'), '1', 'the name search covers all tenants');
    assert.deepEqual(actions()[0].body, { 'os-start': null });
  });

  it('reboots soft or --hard, several at once, and --poll waits for each', async () => {
    const out = await nova(['reboot', '--hard', '--poll', '--poll-interval', '0', 'web', 'db', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(actions().map((a) => a.body), [{ reboot: { type: 'HARD' } }, { reboot: { type: 'HARD' } }]);
    assert.equal(out.stdout, [
      `Request to reboot server web (${A}) has been accepted.`,
      `Request to reboot server db (${B}) has been accepted.`,
      '', '\rServer rebooting... (rebooting)\rServer rebooting...            ', 'Finished', `Wait for server web (${A}) reboot.`,
      '', '\rServer rebooting... (rebooting)\rServer rebooting...            ', 'Finished', `Wait for server db (${B}) reboot.`, '',
    ].join('\n'));
    api.clear();
    await nova(['reboot', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { reboot: { type: 'SOFT' } });
  });

  it('locks with a reason from 2.73, and refuses the reason before', async () => {
    await nova(['lock', '--reason', 'forensics', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { lock: { locked_reason: 'forensics' } });
    assert.equal(api.servers.get(A)!.locked_reason, 'forensics');
    const again = await nova(['lock', 'web', ...auth]);
    assert.equal(again.exitCode, 1);
    assert.match(again.stderr, /^ERROR \(Conflict\): Instance a1a1a1a1-0000-4000-8000-000000000001 is locked \(HTTP 409\) \(Request-ID: req-/);
    const old = await nova(['lock', '--reason', 'x', 'db', '--os-compute-api-version', '2.72', ...auth]);
    assert.equal(old.stderr, 'ERROR (CommandError): Locking with --reason requires API version 2.73 or later (this session uses 2.72).\n');
  });

  it('unshelves into an availability zone, rescues with a password and image', async () => {
    await nova(['unshelve', '--availability-zone', 'az2', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { unshelve: { availability_zone: 'az2' } });
    api.clear();
    const out = await nova(['rescue', '--password', 'S3cret', '--image', 'cirros', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { rescue: { adminPass: 'S3cret', rescue_image_ref: IMAGE_ID } });
    assert.deepEqual(parseDict(out.stdout), { adminPass: 'S3cret' });
  });

  it('rebuilds with a new name and metadata, showing the server, then polls', async () => {
    const out = await nova(['rebuild', '--name', 'web2', '--meta', 'a=b', '--rebuild-password', 'pw', '--poll', '--poll-interval', '0', 'web', 'cirros', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(actions()[0].body, { rebuild: { imageRef: IMAGE_ID, adminPass: 'pw', name: 'web2', metadata: { a: 'b' } } });
    assert.equal(parseDict(out.stdout).adminPass, 'NewPass1');
    assert.match(out.stdout, /\+\n\n\rServer rebuilding\.\.\. 40% complete \(rebuild_spawning\)\rServer rebuilding\.\.\. 100% complete {18}\nFinished\n$/);
    const bad = await nova(['rebuild', '--key-unset', '--key-name', 'k', 'web', 'cirros', ...auth]);
    assert.equal(bad.stderr, "ERROR (CommandError): Cannot specify '--key-unset' with '--key-name'.\n");
  });

  it('resizes to a flavor by name and polls until VERIFY_RESIZE', async () => {
    const out = await nova(['resize', '--poll', '--poll-interval', '0', 'web', 'm1.small', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(actions()[0].body, { resize: { flavorRef: '2' } });
    assert.match(out.stdout, /\rServer resizing\.\.\. 40% complete \(resize_migrating\)\rServer resizing\.\.\. 100% complete {18}\nFinished\n$/);
    const json = await nova(['resize', 'db', '2', '--json', ...auth]);
    assert.deepEqual(json.json(), { server: B, flavor: '2' });
  });

  it('migrates (to a --host from 2.56) and live-migrates with novaclient\'s bodies', async () => {
    assert.equal((await nova(['migrate', 'web', ...auth])).exitCode, 0);
    assert.deepEqual(actions()[0].body, { migrate: null });
    api.clear();
    const to = await nova(['migrate', '--host', 'compute-2', 'db', '--json', ...auth]);
    assert.deepEqual(actions()[0].body, { migrate: { host: 'compute-2' } });
    assert.deepEqual(to.json(), { server: B, host: 'compute-2' });
    const old = await nova(['migrate', '--host', 'x', 'db', '--os-compute-api-version', '2.55', ...auth]);
    assert.equal(old.stderr, 'ERROR (CommandError): Migrating to a given --host requires API version 2.56 or later (this session uses 2.55).\n');
    api.clear();
    await nova(['live-migration', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { 'os-migrateLive': { host: null, block_migration: 'auto' } });
    api.clear();
    await nova(['live-migration', '--block-migrate', 'web', 'compute-2', ...auth]);
    assert.deepEqual(actions()[0].body, { 'os-migrateLive': { host: 'compute-2', block_migration: true } });
    api.clear();
    await nova(['live-migration', 'web', 'compute-2', '--os-compute-api-version', '2.24', ...auth]);
    assert.deepEqual(actions()[0].body, { 'os-migrateLive': { host: 'compute-2', block_migration: false, disk_over_commit: false } });
  });

  it('renames and re-describes (empty description removes it)', async () => {
    await nova(['update', '--name', 'frontend', '--description', '', 'web', ...auth]);
    const put = api.calls.find((c) => c.method === 'PUT')!;
    assert.equal(put.path, `/servers/${A}`);
    assert.deepEqual(put.body, { server: { name: 'frontend', description: null } });
    const renamed = await nova(['rename', 'frontend', '--name', 'web', '--json', ...auth]);
    assert.equal(renamed.json().name, 'web');
    const nothing = await nova(['update', 'web', ...auth]);
    assert.equal(nothing.stderr, 'ERROR (CommandError): Nothing to update: give --name, --description or --hostname.\n');
  });

  it('prints the console log, the last lines with --length', async () => {
    const out = await nova(['console-log', '--length', '2', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { 'os-getConsoleOutput': { length: 2 } });
    assert.equal(out.stdout, 'line 2\nline 3\n');
    api.clear();
    await nova(['console-log', 'web', ...auth]);
    assert.deepEqual(actions()[0].body, { 'os-getConsoleOutput': {} });
  });

  it('sets and deletes metadata', async () => {
    const set = await nova(['meta', 'web', 'set', 'a=1', 'b=2', '--json', ...auth]);
    const post = api.calls.find((c) => c.method === 'POST')!;
    assert.equal(post.path, `/servers/${A}/metadata`);
    assert.deepEqual(post.body, { metadata: { a: '1', b: '2' } });
    assert.deepEqual(set.json().metadata, { role: 'web', a: '1', b: '2' });
    api.clear();
    await nova(['meta', 'web', 'delete', 'a', 'b=ignored', ...auth]);
    assert.deepEqual(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path), [`/servers/${A}/metadata/b`, `/servers/${A}/metadata/a`]);
    assert.deepEqual(api.servers.get(A)!.metadata, { role: 'web' });
    const bad = await nova(['meta', 'web', 'rename', 'a=1', ...auth]);
    assert.equal(bad.exitCode, 2, 'oclif refuses an unknown action');
  });

  it('adds, lists and deletes tags (2.26+), each reported', async () => {
    const add = await nova(['server-tag-add', 'web', 'blue', 'prod', ...auth]);
    assert.equal(add.stdout, 'Request to add tag blue to specified server has been accepted.\nRequest to add tag prod to specified server has been accepted.\n');
    assert.deepEqual(api.calls.filter((c) => c.method === 'PUT').map((c) => c.path), [`/servers/${A}/tags/blue`, `/servers/${A}/tags/prod`]);
    const list = await nova(['server', 'tag', 'list', 'web', ...auth]);
    assert.deepEqual(parseTable(list.stdout), [{ Tag: 'blue' }, { Tag: 'prod' }]);
    const del = await nova(['server-tag-delete', 'web', 'blue', 'green', ...auth]);
    assert.equal(del.exitCode, 1);
    assert.match(del.stdout, /^Request to delete tag blue from specified server has been accepted\.\nInstance .* has no tag 'green' \(HTTP 404\)/);
    assert.equal(del.stderr, 'ERROR (CommandError): Unable to delete the specified tag from the server.\n');
    const old = await nova(['server-tag-list', 'web', '--os-compute-api-version', '2.25', ...auth]);
    assert.match(old.stderr, /Server tags requires API version 2\.26 or later/);
  });

  it('lists and shows instance actions; a deleted server is asked for by UUID', async () => {
    const act = { action: 'reboot', instance_uuid: A, request_id: 'req-aaaaaaaa-0000-4000-8000-000000000001', user_id: 'admin', project_id: 'proj',
      start_time: '2026-11-24T10:05:00.000000', message: null, updated_at: '2026-11-24T10:05:03.000000' };
    const create = { ...act, action: 'create', request_id: 'req-aaaaaaaa-0000-4000-8000-000000000000', start_time: '2026-11-24T10:00:00.000000' };
    api.on('GET', /^\/servers\/([^/]+)\/os-instance-actions$/, () => ({ body: { instanceActions: [act, create] } }));
    api.on('GET', /^\/servers\/([^/]+)\/os-instance-actions\/([^/]+)$/, () => ({
      body: { instanceAction: { ...act, events: [{ event: 'compute_reboot_instance', start_time: '2026-11-24T10:05:00.000000', finish_time: '2026-11-24T10:05:03.000000', result: 'Success' }] } },
    }));
    const list = await nova(['instance-action-list', 'web', ...auth]);
    assert.deepEqual(parseTable(list.stdout).map((r) => r.Action), ['create', 'reboot'], 'sorted by Start_Time');
    assert.deepEqual(Object.keys(parseTable(list.stdout)[0]), ['Action', 'Request_ID', 'Message', 'Start_Time', 'Updated_At']);
    const gone = 'dddddddd-0000-4000-8000-00000000000d';
    await nova(['instance-action-list', gone, '--limit', '1', '--changes-since', '2026-11-24T00:00:00Z', ...auth]);
    assert.equal(api.last().path, `/servers/${gone}/os-instance-actions`);
    assert.equal(api.last().query.toString(), 'limit=1&changes-since=2026-11-24T00%3A00%3A00Z');
    const show = parseDict((await nova(['instance-action', 'web', act.request_id, ...auth])).stdout);
    assert.equal(show.action, 'reboot');
    assert.match(show.events, /compute_reboot_instance/);
  });

  it('snapshots a server: createImage with metadata, polls the image and the task state, shows the image', async () => {
    const out = await nova(['image-create', '--metadata', 'purpose=backup', '--poll', '--poll-interval', '0', '--show', 'web', 'snap1', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(actions()[0].body, { createImage: { name: 'snap1', metadata: { purpose: 'backup' } } });
    const imageGets = api.calls.filter((c) => c.path === '/images/9a9b9c9d-0000-4000-8000-00000000000a');
    assert.ok(imageGets.length >= 2 && imageGets.every((c) => c.headers['openstack-api-version'] === 'compute 2.35'));
    assert.match(out.stdout, /^\n\rServer snapshotting\.\.\. 100% complete\nFinished\n/);
    const d = parseDict(out.stdout.slice(out.stdout.indexOf('+')));
    assert.equal(d.name, 'snap1');
    assert.equal(d.server, A);
    assert.equal(d['metadata purpose'], 'backup');
    const json = await nova(['image', 'create', 'web', 'snap2', '--json', ...auth]);
    assert.deepEqual(json.json(), { server: A, image_id: '9a9b9c9d-0000-4000-8000-00000000000a' });
  });
});
