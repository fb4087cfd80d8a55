import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Config } from '@oclif/core';

const SNAPSHOT = path.resolve(__dirname, '..', '..', '..', 'test', 'commands', 'surface.json');

const BASE = new Set(['json', 'debug', 'insecure']);

/**
 * Every command as one line: `aliases | args | flags` (the client's --os-* options, shared by all
 * client commands, left out; `=` marks a flag that takes a value).
 */
async function surface(): Promise<Record<string, string>> {
  const config = await Config.load(path.resolve(__dirname, '..', '..', '..'));
  const out: Record<string, string> = {};
  for (const c of [...config.commands].sort((a, b) => a.id.localeCompare(b.id))) {
    // Client commands only (they carry --os-token); alias entries are listed under their command.
    if ((c.aliases ?? []).includes(c.id) || !c.flags?.['os-token']) continue;
    const flags = Object.entries(c.flags ?? {}).filter(([n, f]) => !f.hidden && !n.startsWith('os-') && !BASE.has(n))
      .map(([n, f]) => (f.type === 'boolean' ? n : `${n}=`)).sort();
    out[c.id] = `${[...(c.aliases ?? [])].sort().join(' ')} | ${Object.keys(c.args ?? {}).join(' ')} | ${flags.join(' ')}`;
  }
  return out;
}

// Salesforce's habit: the CLI surface (names users type) changes only on purpose. After an intended
// change, refresh the snapshot with NOVA_UPDATE_SURFACE=1 and commit it.
describe('CLI surface snapshot (client commands)', () => {
  it('matches test/commands/surface.json', async () => {
    const now = await surface();
    if (process.env.NOVA_UPDATE_SURFACE === '1') fs.writeFileSync(SNAPSHOT, `${JSON.stringify(now, null, 1)}\n`);
    const saved = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
    assert.deepEqual(now, saved, 'the commands, aliases or flags changed: if on purpose, run NOVA_UPDATE_SURFACE=1 npm test and commit test/commands/surface.json');
  });

  it('keeps every python-novaclient name this client implements as an alias', async () => {
    const aliases = new Set(Object.values(await surface()).flatMap((c) => c.split(' | ')[0].split(' ')));
    for (const name of ['service-list', 'service-enable', 'service-disable', 'service-force-down', 'service-delete', 'hypervisor-list',
      'hypervisor-show', 'hypervisor-stats', 'hypervisor-uptime', 'hypervisor-servers', 'version-list', 'boot', 'list', 'show', 'delete',
      'force-delete', 'update', 'reboot', 'stop', 'start', 'pause', 'unpause', 'suspend', 'resume', 'lock', 'unlock', 'rescue', 'unrescue',
      'shelve', 'shelve-offload', 'unshelve', 'rebuild', 'resize', 'resize-confirm', 'resize-revert', 'image-create', 'console-log', 'meta',
      'server-tag-add', 'server-tag-list', 'server-tag-delete', 'instance-action-list', 'instance-action', 'flavor-list', 'flavor-show',
      'flavor-create', 'flavor-delete', 'flavor-key', 'flavor-access-list', 'flavor-access-add', 'flavor-access-remove', 'flavor-update',
      'keypair-list', 'keypair-show', 'keypair-add', 'keypair-delete', 'image-list', 'image-show', 'image-delete', 'quota-show',
      'quota-defaults', 'quota-update', 'quota-delete', 'quota-class-show', 'quota-class-update', 'limits', 'usage', 'usage-list',
      'availability-zone-list', 'network-list', 'network-show', 'network-create', 'network-delete', 'network-associate-host',
      'network-associate-project', 'network-disassociate', 'fixed-ip-get', 'fixed-ip-reserve', 'fixed-ip-unreserve', 'floating-ip-create',
      'floating-ip-delete', 'floating-ip-list', 'floating-ip-pool-list', 'floating-ip-associate', 'floating-ip-disassociate', 'add-floating-ip',
      'remove-floating-ip', 'secgroup-create', 'secgroup-update', 'secgroup-delete', 'secgroup-list', 'secgroup-list-rules', 'secgroup-add-rule',
      'secgroup-delete-rule', 'secgroup-add-group-rule', 'secgroup-delete-group-rule', 'add-secgroup', 'remove-secgroup', 'list-secgroup',
      'get-vnc-console', 'get-spice-console', 'get-serial-console', 'get-password', 'clear-password', 'server-group-create',
      'server-group-list', 'server-group-get', 'server-group-delete']) {
      assert.ok(aliases.has(name), `nova ${name} is missing`);
    }
  });
});
