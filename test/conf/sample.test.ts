import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/conf/loader';
import { renderSampleConfig } from '../../src/conf/sample';

describe('conf/sample', () => {
  const committed = path.join(__dirname, '..', '..', '..', 'templates', 'nova.conf.sample');

  it('matches templates/nova.conf.sample (run `nova config sample -o templates/nova.conf.sample` after adding options)', () => {
    assert.equal(fs.readFileSync(committed, 'utf8'), renderSampleConfig());
  });

  it('loads as a valid configuration once every option is uncommented', () => {
    const text = renderSampleConfig().replace(/^#(\w+ = )/gm, '$1');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nova-sample-')), 'nova.conf');
    fs.writeFileSync(file, text.replace(/^(host|connection) = $/gm, '$1 = x'));
    const { conf } = loadConfig({ configFiles: [file] });
    assert.equal(conf.DEFAULT.osapi_compute_listen_port, 8774);
    assert.equal(conf.DEFAULT.compute_driver, 'fake.FakeDriver');
  });
});
