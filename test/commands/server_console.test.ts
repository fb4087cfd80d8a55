import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { utils as sshUtils } from 'ssh2';
import { instancePasswordSetOnce } from '../../src/db/api/instance_password';
import { Instance } from '../../src/objects/instance';
import { startCloud, TestCloud } from '../helpers/cloud';
import { bootInstance, tokenOf } from '../helpers/consoles';
import { insertInstance } from '../helpers/instances';
import { nova, parseTable } from '../helpers/run_command';

const NOVNC = 'http://console.example:6080/vnc_lite.html';
const XVP = 'http://console.example:6081/console';
const SPICE = 'http://console.example:6082/spice_auto.html';

/** What a guest posts to the metadata service: its password encrypted with the server's public key (RSA PKCS#1 v1.5), base64. */
function encryptForGuest(publicPem: string, password: string): string {
  return crypto.publicEncrypt({ key: publicPem, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.from(password)).toString('base64');
}

describe('nova get-*-console, get-password and clear-password against the embedded cloud', () => {
  let cloud: TestCloud;
  let server: Instance;
  let alice: string[];
  before(async () => {
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth'],
      overrides: { 'vnc.novncproxy_base_url': NOVNC, 'vnc.xvpvncproxy_base_url': XVP, 'spice.html5proxy_base_url': SPICE },
    });
    server = await bootInstance(cloud, 'web-1');
    alice = ['--os-token', 'alice:p1', '--os-endpoint-override', cloud.computeUrl];
  });
  after(async () => { await cloud.stop(); });

  const check = async (url: string) => (await cloud.rt.consoleauth()).check_token(cloud.rt.adminContext(), { token: tokenOf(url) });

  it('gets noVNC and XVP consoles whose tokens consoleauth knows, through remote-consoles and the 2.5 action', async () => {
    const out = await nova(['get-vnc-console', 'web-1', 'novnc', ...alice]);
    assert.equal(out.exitCode, 0, out.stderr);
    const row = parseTable(out.stdout)[0];
    assert.equal(row.Type, 'novnc');
    assert.ok(row.Url.startsWith(`${NOVNC}?path=`), row.Url);
    assert.equal((await check(row.Url))?.instance_uuid, server.uuid);

    const json = (await nova(['server', 'console', 'vnc', server.uuid, 'xvpvnc', '--json', ...alice])).json();
    assert.deepEqual([json.server, json.protocol, json.type], [server.uuid, 'vnc', 'xvpvnc']);
    assert.equal((await check(json.url))?.console_type, 'xvpvnc');

    const legacy = await nova(['get-vnc-console', 'web-1', 'novnc', '--os-compute-api-version', '2.5', '--debug', ...alice]);
    assert.equal(legacy.exitCode, 0, legacy.stderr);
    assert.match(legacy.stderr, /"os-getVNCConsole":\{"type":"novnc"\}/);
    assert.equal((await check(parseTable(legacy.stdout)[0].Url))?.console_type, 'novnc');
    assert.equal((await nova(['get-vnc-console', 'web-1', 'spice-html5', ...alice])).exitCode, 2, 'a type novaclient does not offer is refused');
  });

  it('gets a SPICE console once the host enables it, and relays the refusal of a serial console', async () => {
    const off = await nova(['get-spice-console', 'web-1', 'spice-html5', ...alice]);
    assert.match(off.stderr, /^ERROR \(BadRequest\): .*\(HTTP 400\)/);
    cloud.rt.conf.spice.enabled = true;
    try {
      const on = await nova(['get-spice-console', 'web-1', 'spice-html5', ...alice]);
      assert.equal(on.exitCode, 0, on.stderr);
      const row = parseTable(on.stdout)[0];
      assert.equal(row.Type, 'spice-html5');
      assert.equal((await check(row.Url))?.console_type, 'spice-html5');
    } finally {
      cloud.rt.conf.spice.enabled = false;
    }
    const serial = await nova(['get-serial-console', 'web-1', ...alice]);
    assert.match(serial.stderr, /^ERROR \(BadRequest\): Unavailable console type serial\. \(HTTP 400\)/);
  });

  it('prints the ciphered password, decrypts it with a PEM or OpenSSH private key, and clears it', async () => {
    const dir = fs.mkdtempSync(path.join(cloud.statePath, 'keys-'));
    const inst = await insertInstance({ project: 'p1', name: 'win-1' });
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pemFile = path.join(dir, 'id_rsa.pem');
    fs.writeFileSync(pemFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const ciphered = encryptForGuest(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'Sup3r-s3cret');
    assert.ok(await instancePasswordSetOnce(inst.uuid, ciphered));

    assert.equal((await nova(['get-password', 'win-1', ...alice])).stdout, `${ciphered}\n`);
    assert.equal((await nova(['get-password', 'win-1', pemFile, ...alice])).stdout, 'Sup3r-s3cret\n');
    assert.deepEqual((await nova(['server', 'password', 'get', inst.uuid, pemFile, '--json', ...alice])).json(),
      { server: inst.uuid, password: 'Sup3r-s3cret', decrypted: true });

    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongFile = path.join(dir, 'other.pem');
    fs.writeFileSync(wrongFile, other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const wrong = await nova(['get-password', 'win-1', wrongFile, ...alice]);
    assert.match(wrong.stderr, /^ERROR \(CommandError\): Failed to decrypt the password with .*other\.pem: .*Give the private key of the keypair the server was booted with\./);
    const noFile = await nova(['get-password', 'win-1', path.join(dir, 'missing'), ...alice]);
    assert.match(noFile.stderr, /^ERROR \(CommandError\): Can't open or read '.*missing'/);

    assert.equal((await nova(['clear-password', 'win-1', ...alice])).exitCode, 0);
    assert.equal((await nova(['get-password', 'win-1', pemFile, ...alice])).stdout, '\n');

    // A key in OpenSSH's own format (ssh-keygen's default) works too.
    const ssh = sshUtils.generateKeyPairSync('rsa', { bits: 2048 });
    const sshFile = path.join(dir, 'id_rsa');
    fs.writeFileSync(sshFile, ssh.private);
    const parsed = sshUtils.parseKey(ssh.public);
    if (parsed instanceof Error) throw parsed;
    assert.ok(await instancePasswordSetOnce(inst.uuid, encryptForGuest(parsed.getPublicPEM(), 'from-cloudbase-init')));
    assert.equal((await nova(['get-password', 'win-1', sshFile, ...alice])).stdout, 'from-cloudbase-init\n');
  });
});
