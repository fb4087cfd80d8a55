import { strict as assert } from 'node:assert';
import { formatDict, formatList, pyJson, wrapText } from '../../src/cli/table';
import { fieldTitle, formatNetworks, humanId, listRow } from '../../src/cli/views/server';
import { flattenDict } from '../../src/cli/views/flatten';

// Expected strings are what python-novaclient 18.1 (prettytable 3.6) prints for the same data.
describe('cli/table: novaclient\'s prettytable output', () => {
  it('prints a list: left-aligned, rule under the header, None as -, booleans as Python prints them', () => {
    const out = formatList([{ id: 1, name: 'a\nbb', forced_down: false, reason: null }, { id: 22222222222, name: 'x', forced_down: true, reason: 'r' }],
      ['ID', 'Name', 'Forced down', 'Reason']);
    assert.equal(out, [
      '+-------------+------+-------------+--------+',
      '| ID          | Name | Forced down | Reason |',
      '+-------------+------+-------------+--------+',
      '| 1           | a    | False       | -      |',
      '|             | bb   |             |        |',
      '| 22222222222 | x    | True        | r      |',
      '+-------------+------+-------------+--------+',
    ].join('\n'));
  });

  it('prints an empty list as header and rules only', () => {
    assert.equal(formatList([], ['ID', 'Name']), ['+----+------+', '| ID | Name |', '+----+------+', '+----+------+'].join('\n'));
  });

  it('sorts by a column and uses formatters', () => {
    const out = formatList([{ n: 'b' }, { n: 'a' }], ['Name'], { formatters: { Name: (r) => r.n }, sortBy: 'Name' });
    assert.deepEqual(out.split('\n').slice(3, 5), ['| a    |', '| b    |']);
  });

  it('prints a dict sorted by key, nested values as JSON with Python separators, escaped newlines as rows', () => {
    const out = formatDict({ z: null, a: { k: [1, 'x'] }, fault: 'Traceback\\n  line 1\\nError' });
    assert.equal(out, [
      '+----------+-----------------+',
      '| Property | Value           |',
      '+----------+-----------------+',
      '| a        | {"k": [1, "x"]} |',
      '| fault    | Traceback       |',
      '|          |   line 1        |',
      '|          | Error           |',
      '| z        | -               |',
      '+----------+-----------------+',
    ].join('\n'));
  });

  it('wraps like textwrap.fill, keeping the leading space', () => {
    assert.equal(wrapText(' 08:19:57 up 1 day, load average: 0.00, 0.00, 0.00', 40), ' 08:19:57 up 1 day, load average: 0.00,\n0.00, 0.00');
    assert.equal(pyJson({ a: null, b: true }), '{"a": null, "b": true}');
  });
});

describe('cli/views: novaclient\'s server and hypervisor views', () => {
  it('titles fields like _format_field_name', () => {
    assert.equal(fieldTitle('OS-EXT-STS:task_state'), 'OS-EXT-STS: Task State');
    assert.equal(fieldTitle('flavor:original_name'), 'flavor: Original Name');
    assert.equal(fieldTitle('hostId'), 'hostId');
    assert.equal(fieldTitle('accessIPv4'), 'accessIPv4');
    assert.equal(fieldTitle('key_name'), 'Key Name');
  });

  it('formats networks by sorted label, and a list row with novaclient\'s short names', () => {
    const s = { addresses: { zeta: [{ addr: '10.1.0.2', version: 4 as const }], alpha: [{ addr: '10.0.0.2', version: 4 as const }, { addr: 'fd00::2', version: 6 as const }], empty: [] } };
    assert.equal(formatNetworks(s), 'alpha=10.0.0.2, fd00::2; zeta=10.1.0.2');
    const row = listRow({ ...s, id: 'i', name: 'n', 'OS-EXT-STS:power_state': 4, 'OS-EXT-STS:task_state': null, hostId: 'h',
      flavor: { original_name: 'm1', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0 } } as never, true);
    assert.equal(row.power_state, 'Shutdown');
    assert.equal(row.task_state, null);
    assert.equal(row.host_id, 'h');
    assert.equal(row['flavor:original_name'], 'm1');
    assert.ok(!('flavor' in row));
  });

  it('slugs names like oslo to_slug', () => {
    assert.equal(humanId('My Web  Server!'), 'my-web-server');
    assert.equal(humanId('café_1'), 'cafe_1');
  });

  it('flattens hypervisor records like flatten_dict', () => {
    assert.deepEqual(flattenDict({ service: { host: 'h', id: 3 }, cpu_info: '{"arch": "x86_64", "topology": {"cores": 2}}', empty: {}, list: [1] }),
      { service_host: 'h', service_id: 3, cpu_info_arch: 'x86_64', cpu_info_topology_cores: 2, empty: {}, list: [1] });
  });
});
