import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, writeConf } from '../../helpers/cli';

/**
 * A compute service whose vCenter cannot be reached stops at start with one line naming the endpoint
 * and exit 1 (no retry loop inside the process, no stack trace), as an operator's mistake should.
 */
describe('nova-compute with the VMware driver and no vCenter', function () {
  this.timeout(60000);

  it('exits 1 with one error line naming the vCenter endpoint and the options to check', async () => {
    const port = await new Promise<number>((r) => { const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => r(p)); }); });
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-vmw-'));
    const file = writeConf({
      DEFAULT: { state_path: state, host: 'vmw-1', compute_driver: 'vmwareapi.VMwareVCDriver', transport_url: 'memory://', rpc_response_timeout: 5 },
      vmware: { host_ip: '127.0.0.1', host_port: port, host_username: 'u', host_password: 'secret-pw', cluster_name: 'c1' },
    });
    assert.equal((await runCli(['db', 'sync', '--config-file', file])).code, 0);
    const r = await runCli(['daemon', 'conductor', 'compute', '--config-file', file]);
    assert.equal(r.code, 1, r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('nova: error:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0], new RegExp(`^nova: error: vCenter https://127\\.0\\.0\\.1:${port}/sdk is unreachable \\(ECONNREFUSED.*check \\[vmware\\] host_ip and host_port$`));
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.doesNotMatch(r.stderr, /secret-pw/);
    fs.rmSync(state, { recursive: true, force: true });
  });
});
