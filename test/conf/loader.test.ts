import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeConfig, loadConfig, parseIni } from '../../src/conf/loader';
import { ConfigError } from '../../src/conf/opt';

function write(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('conf/loader', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the embedded defaults with no file', () => {
    const { conf } = loadConfig({ overrides: { state_path: '/tmp/x' } });
    assert.equal(conf.DEFAULT.transport_url, 'memory://');
    assert.equal(conf.DEFAULT.compute_driver, 'fake.FakeDriver');
    assert.equal(conf.database.connection, 'sqlite:////tmp/x/nova.sqlite');
    assert.equal(conf.DEFAULT.instances_path, '/tmp/x/instances');
  });

  it('reads types, later files win, config-dir after files', () => {
    const a = write(dir, 'a.conf', '[DEFAULT]\nhost = a\nreport_interval = 5\n[filter_scheduler]\nenabled_filters = RamFilter, ComputeFilter\n');
    const b = write(dir, 'b.conf', '[DEFAULT]\nhost = b\n');
    fs.mkdirSync(path.join(dir, 'd'));
    write(path.join(dir, 'd'), '10-x.conf', '[DEFAULT]\ndebug = True\n');
    const { conf, sources } = loadConfig({ configFiles: [a, b], configDir: [path.join(dir, 'd')] });
    assert.equal(conf.DEFAULT.host, 'b');
    assert.equal(conf.DEFAULT.report_interval, 5);
    assert.equal(conf.DEFAULT.debug, true);
    assert.deepEqual(conf.filter_scheduler.enabled_filters, ['RamFilter', 'ComputeFilter']);
    assert.equal(sources['DEFAULT.host'], `${b}:2`);
  });

  it('refuses an unknown option naming file and line', () => {
    const f = write(dir, 'bad.conf', '[DEFAULT]\n\nhost = x\nno_such_option = 1\n');
    assert.throws(() => loadConfig({ configFiles: [f] }), (e: Error) => e instanceof ConfigError && e.message === `${f}:4: unknown option 'no_such_option' in section [DEFAULT]`);
  });

  it('refuses a bad value naming file, line and option', () => {
    const f = write(dir, 'bad.conf', '[DEFAULT]\nreport_interval = soon\n');
    assert.throws(() => loadConfig({ configFiles: [f] }), /bad\.conf:2: invalid value 'soon' for option \[DEFAULT\] report_interval: not a number/);
    const g = write(dir, 'bad2.conf', '[oslo_policy]\nenforce_scope = maybe\n');
    assert.throws(() => loadConfig({ configFiles: [g] }), /bad2\.conf:2: .*enforce_scope: not a boolean/);
    const h = write(dir, 'bad3.conf', '[fake_driver]\nunsupported_capabilities = supports_pause, supports_flying\n');
    assert.throws(() => loadConfig({ configFiles: [h] }), /bad3\.conf:2: invalid value 'supports_flying' in option \[fake_driver\] unsupported_capabilities: each must be one of has_imagecache, .*supports_pause/);
    assert.deepEqual(loadConfig({ overrides: { 'fake_driver.unsupported_capabilities': 'supports_pause,supports_rescue' } }).conf.fake_driver.unsupported_capabilities, ['supports_pause', 'supports_rescue']);
  });

  it('refuses an unknown section and a missing file', () => {
    const f = write(dir, 'bad.conf', '[nosuch]\nx = 1\n');
    assert.throws(() => loadConfig({ configFiles: [f] }), /bad\.conf:2: unknown section \[nosuch\]/);
    assert.throws(() => loadConfig({ configFiles: [path.join(dir, 'missing.conf')] }), /config file not found/);
  });

  it('parses continuation lines and repeated keys like oslo.config', () => {
    const groups = parseIni('[g]\nk = a\n  b\nm = 1\nm = 2\n', 'f');
    assert.deepEqual(groups.get('g')!.get('k')!.values, ['a\nb']);
    assert.deepEqual(groups.get('g')!.get('m')!.values, ['1', '2']);
  });

  it('masks secrets in config show', () => {
    const f = write(dir, 'c.conf', '[DEFAULT]\ntransport_url = amqp://guest:secret@127.0.0.1:5672/\n[database]\nconnection = mysql+pymysql://nova:pw@db/nova\n');
    const shown = describeConfig(loadConfig({ configFiles: [f] }));
    assert.equal(shown.DEFAULT.transport_url, 'amqp://guest:****@127.0.0.1:5672/');
    assert.equal(shown.database.connection, 'mysql+pymysql://nova:****@db/nova');
  });
});
