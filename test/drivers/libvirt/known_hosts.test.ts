import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkHostKey, fingerprint, keyType, knownHostsLine } from '../../../src/drivers/libvirt/executor/known_hosts';

describe('libvirt/known_hosts', () => {
  let dir: string;
  const keys: Record<string, { blob: Buffer; line: string }> = {};

  before(function () {
    try { execFileSync('which', ['ssh-keygen'], { stdio: 'ignore' }); } catch { this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-'));
    for (const [name, type] of [['a', 'ed25519'], ['b', 'ed25519'], ['r', 'rsa']]) {
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path.join(dir, name), ...(type === 'rsa' ? ['-b', '2048'] : [])]);
      const pub = fs.readFileSync(path.join(dir, `${name}.pub`), 'utf8').trim().split(/\s+/);
      keys[name] = { blob: Buffer.from(pub[1], 'base64'), line: `${pub[0]} ${pub[1]}` };
    }
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the key type and fingerprint as OpenSSH does', () => {
    assert.equal(keyType(keys.a.blob), 'ssh-ed25519');
    assert.equal(keyType(keys.r.blob), 'ssh-rsa');
    const sshFp = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'a.pub')], { encoding: 'utf8' }).split(/\s+/)[1];
    assert.equal(fingerprint(keys.a.blob), sshFp);
  });

  it('knows a listed key, by plain name, [host]:port, patterns and the line it writes', () => {
    const text = `# comment\nother.example ${keys.b.line}\n[127.0.0.1]:2222 ${keys.a.line}\n*.lab,!bad.lab ${keys.b.line}\n`;
    assert.deepEqual(checkHostKey(text, '127.0.0.1', 2222, keys.a.blob), { status: 'known', line: 3 });
    assert.equal(checkHostKey(text, 'x.lab', 22, keys.b.blob).status, 'known');
    assert.equal(checkHostKey(text, 'bad.lab', 22, keys.b.blob).status, 'unknown');
    assert.equal(checkHostKey(text, '127.0.0.1', 22, keys.a.blob).status, 'unknown', 'port 22 is a different entry');
    const written = knownHostsLine('127.0.0.1', 2200, keys.b.blob);
    assert.equal(checkHostKey(written, '127.0.0.1', 2200, keys.b.blob).status, 'known');
  });

  it('says changed for another key of the same type, unknown for a new type', () => {
    const text = `[h]:2222 ${keys.a.line}\n`;
    assert.deepEqual(checkHostKey(text, 'h', 2222, keys.b.blob), { status: 'changed', line: 1, knownType: 'ssh-ed25519' });
    assert.equal(checkHostKey(text, 'h', 2222, keys.r.blob).status, 'unknown');
    assert.equal(checkHostKey('', 'h', 2222, keys.a.blob).status, 'unknown');
  });

  it('matches hashed entries written by ssh-keygen -H', () => {
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `[127.0.0.1]:2222 ${keys.a.line}\nh2 ${keys.b.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^\|1\|/);
    assert.equal(checkHostKey(text, '127.0.0.1', 2222, keys.a.blob).status, 'known');
    assert.equal(checkHostKey(text, 'h2', 22, keys.b.blob).status, 'known');
    assert.equal(checkHostKey(text, 'h2', 22, keys.a.blob).status, 'changed');
    assert.equal(checkHostKey(text, 'h3', 22, keys.a.blob).status, 'unknown');
  });

  it('refuses a revoked key even when it is also listed', () => {
    const text = `h ${keys.a.line}\n@revoked * ${keys.a.line}\n@cert-authority *.lab ${keys.b.line}\n`;
    assert.deepEqual(checkHostKey(text, 'h', 22, keys.a.blob), { status: 'revoked', line: 2 });
    assert.equal(checkHostKey(text, 'x.lab', 22, keys.b.blob).status, 'unknown', 'CA lines are not host keys');
  });
});
