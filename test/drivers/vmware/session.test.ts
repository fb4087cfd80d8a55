import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { loadConfig } from '../../../src/conf/loader';
import { MoRef } from '../../../src/drivers/vmware/encode';
import { retryable, VimSession } from '../../../src/drivers/vmware/session';
import { VimFault } from '../../../src/drivers/vmware/soap';
import { EndpointError } from '../../../src/lib/https_client';
import { nullLogger } from '../../../src/lib/log';
import { selfSignedCert } from '../../helpers/tls_cert';
import { startVimStub, VimStub } from '../../helpers/vim_stub';

const SI = new MoRef('ServiceInstance', 'ServiceInstance');

describe('drivers/vmware session (against a vCenter test double)', function () {
  this.timeout(30000);
  const tls = selfSignedCert();
  let stub: VimStub;
  const sessions: VimSession[] = [];
  const session = (extra: Record<string, string> = {}) => {
    const conf = loadConfig({
      overrides: {
        'vmware.host_ip': '127.0.0.1', 'vmware.host_port': String(stub.port), 'vmware.host_username': 'admin',
        'vmware.host_password': 'p<&>"ss', 'vmware.ca_file': tls.certFile, 'vmware.task_poll_interval': '0.01', 'vmware.api_retry_count': '2', ...extra,
      },
    }).conf;
    const s = new VimSession(conf.vmware, nullLogger);
    sessions.push(s);
    return s;
  };

  beforeEach(async () => { stub = await startVimStub(tls); });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close().catch(() => undefined);
    await stub.close();
  });

  it('reads ServiceContent and logs in with the password XML-escaped on the wire', async () => {
    const s = session();
    await s.connect();
    assert.deepEqual(stub.logins, [{ userName: 'admin', password: 'p<&>"ss' }]);
    assert.equal(s.content.about.instanceUuid, '00000000-1111-2222-3333-444444444444');
    assert.equal(s.content.searchIndex.value, 'SearchIndex');
    assert.equal(s.soap.apiVersion, '7.0.3.0');
    assert.equal(await s.invoke('CurrentTime', SI), '2026-11-25T00:00:00Z');
  });

  it('logs in again once when vCenter answers NotAuthenticated, and the call goes through', async () => {
    const s = session();
    await s.connect();
    stub.expireSessions();
    assert.equal(await s.invoke('CurrentTime', SI), '2026-11-25T00:00:00Z');
    assert.equal(stub.logins.length, 2);
    assert.deepEqual(stub.calls.slice(-3), ['CurrentTime', 'Login', 'CurrentTime']);
  });

  it('turns a refused login into an error naming the endpoint and the options', async () => {
    const s = session({ 'vmware.host_password': 'nope' });
    await assert.rejects(s.connect(), (e: Error) => {
      assert.ok(e instanceof VimFault);
      assert.equal(e.faultType, 'InvalidLogin');
      assert.match(e.message, new RegExp(`vCenter https://127\\.0\\.0\\.1:${stub.port}/sdk: Login failed: InvalidLogin: login of user 'admin' refused`));
      assert.match(e.message, /check \[vmware\] host_username and host_password/);
      return true;
    });
  });

  it('refuses a certificate it cannot verify unless ca_file or insecure says otherwise', async () => {
    await assert.rejects(session({ 'vmware.ca_file': '' }).connect(), (e: Error) => {
      assert.ok(e instanceof EndpointError && e.kind === 'tls');
      assert.match(e.message, /TLS certificate of vCenter https:\/\/127\.0\.0\.1:\d+\/sdk does not verify \(DEPTH_ZERO_SELF_SIGNED_CERT/);
      return true;
    });
    await session({ 'vmware.ca_file': '', 'vmware.insecure': 'true' }).connect();
  });

  it('names [vmware] ca_file when it cannot be read', () => {
    assert.throws(() => session({ 'vmware.ca_file': '/nonexistent/ca.pem' }), /\[vmware\] ca_file: CA file \/nonexistent\/ca\.pem cannot be read \(ENOENT\)/);
  });

  it('retries a dropped connection up to api_retry_count, then gives up naming the endpoint', async () => {
    const s = session();
    await s.connect();
    stub.dropNext(2);
    assert.equal(await s.invoke('CurrentTime', SI), '2026-11-25T00:00:00Z');
    stub.dropNext(3);
    await assert.rejects(s.invoke('CurrentTime', SI), /vCenter https:\/\/127\.0\.0\.1:\d+\/sdk is unreachable .*check \[vmware\] host_ip and host_port/);
  });

  it('does not resend a method that changes things after a dropped connection (it may have run)', async () => {
    const s = session();
    await s.connect();
    stub.dropNext(1);
    await assert.rejects(s.invoke('PowerOnVM_Task', new MoRef('VirtualMachine', 'vm-1')), /is unreachable \(ECONNRESET/);
    assert.equal(stub.calls.filter((c) => c === 'PowerOnVM_Task').length, 0);
    assert.equal(retryable('PowerOnVM_Task', new EndpointError('x', 'unreachable', 'm', 'ECONNREFUSED')), true);
    assert.equal(retryable('RetrievePropertiesEx', new EndpointError('x', 'unreachable', 'm', 'ECONNRESET')), true);
    assert.equal(retryable('CreateVM_Task', new EndpointError('x', 'timeout', 'm', 'ETIMEDOUT')), false);
    assert.equal(retryable('CreateVM_Task', new EndpointError('x', 'tls', 'm', 'DEPTH_ZERO_SELF_SIGNED_CERT')), false);
  });

  it('says so when the endpoint is not a vCenter SDK', async () => {
    const s = session();
    (s.soap as unknown as { sdkUrl: URL }).sdkUrl.pathname = '/other';
    await assert.rejects(s.connect(), /answered RetrieveServiceContent with HTTP 404 and no SOAP envelope.*is this a vCenter\/ESXi \/sdk endpoint/);
  });

  it('fails at once, naming the endpoint, when nothing listens there', async () => {
    const port = await new Promise<number>((r) => { const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => r(p)); }); });
    const s = session({ 'vmware.host_port': String(port) });
    await assert.rejects(s.connect(), new RegExp(`vCenter https://127\\.0\\.0\\.1:${port}/sdk is unreachable \\(ECONNREFUSED`));
  });
});
