import { strict as assert } from 'node:assert';
import { hoistClientOptions } from '../../src/cli/argv';

describe('cli/argv: novaclient-style global options before the command', () => {
  it('moves leading client options (with their values) after the command', () => {
    assert.deepEqual(hoistClientOptions(['--os-token', 't', '--os-endpoint-override=http://x', '--insecure', 'list', '--name', 'web']),
      ['list', '--name', 'web', '--os-token', 't', '--os-endpoint-override=http://x', '--insecure']);
    assert.deepEqual(hoistClientOptions(['--bypass-url', 'http://x', '--json', 'server', 'list']), ['server', 'list', '--bypass-url', 'http://x', '--json']);
  });

  it('leaves everything else alone', () => {
    assert.deepEqual(hoistClientOptions(['list', '--os-token', 't']), ['list', '--os-token', 't']);
    assert.deepEqual(hoistClientOptions(['--help']), ['--help']);
    assert.deepEqual(hoistClientOptions(['--os-token', 't', '--version']), ['--version', '--os-token', 't']);
    assert.deepEqual(hoistClientOptions(['--os-token', 't', 'meta', 'vm', 'set', '--', '-x=1']), ['meta', 'vm', 'set', '--os-token', 't', '--', '-x=1']);
  });
});
