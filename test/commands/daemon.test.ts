import { strict as assert } from 'node:assert';
import { runCli, writeConf } from '../helpers/cli';

/** Operator mistakes end in one line naming what and where, and a non-zero exit, never a stack trace. */
describe('commands/daemon errors', function () {
  this.timeout(60000);

  const oneLine = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '');

  it('refuses an unknown option, naming file, line and option', async () => {
    const file = writeConf({ DEFAULT: { host: 'x', no_such_option: 1 } });
    const r = await runCli(['daemon', 'conductor', '--config-file', file]);
    assert.equal(r.code, 1);
    const lines = oneLine(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`${file}:3: unknown option 'no_such_option' in section \\[DEFAULT\\]`));
  });

  it('refuses a bad value, naming file, line and option', async () => {
    const file = writeConf({ DEFAULT: { report_interval: 'often' } });
    const r = await runCli(['daemon', 'conductor', '--config-file', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nova-1-\d+\.conf:2: invalid value 'often' for option \[DEFAULT\] report_interval: not a number/);
  });

  it('names an unreachable database and how to fix it', async () => {
    const file = writeConf({ DEFAULT: { state_path: '/tmp' }, database: { connection: 'postgresql://nova:secret@127.0.0.1:1/nova', max_retries: 0 } });
    const r = await runCli(['daemon', 'conductor', '--config-file', file]);
    assert.equal(r.code, 1);
    const lines = oneLine(r.stderr).filter((l) => !/ INFO /.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /cannot connect to database postgresql:\/\/nova:\*\*\*\*@127\.0\.0\.1:1\/nova: .*ECONNREFUSED.*check \[database\] connection/);
    assert.doesNotMatch(r.stderr, /secret/);
  });

  it('refuses an unknown daemon name', async () => {
    const r = await runCli(['daemon', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown daemon 'nope' \(known: .*conductor.*\)/);
  });
});
