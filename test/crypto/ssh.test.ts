import { strict as assert } from 'node:assert';
import { createHash, X509Certificate } from 'node:crypto';
import { utils as sshUtils } from 'ssh2';
import { generateSshKeyPair, generateX509KeyPair, parseSshPublicKey, sshFingerprint, x509Fingerprint } from '../../src/crypto/ssh';

describe('crypto/ssh (Nova\'s key pair formats)', () => {
  it('fingerprints OpenSSH keys of every common type as MD5 of the blob', () => {
    for (const type of ['rsa', 'ecdsa', 'ed25519'] as const) {
      const pub = sshUtils.generateKeyPairSync(type, type === 'ecdsa' ? { bits: 256 } : type === 'rsa' ? { bits: 1024 } : {}).public;
      const expected = createHash('md5').update(Buffer.from(pub.split(' ')[1], 'base64')).digest('hex').match(/../g)!.join(':');
      assert.equal(sshFingerprint(pub), expected, type);
      assert.equal(sshFingerprint(`${pub.split(' ').slice(0, 2).join(' ')}\n`), expected, `${type} without comment`);
    }
  });

  it('refuses what is not a one-line OpenSSH public key', () => {
    const { public: pub, private: priv } = sshUtils.generateKeyPairSync('ed25519');
    const [type, b64] = pub.split(' ');
    for (const bad of ['', 'ssh-rsa', `ssh-rsa ${b64}`, `${type} ${b64.slice(0, -8)}`, priv, 'garbage text here']) {
      assert.throws(() => parseSshPublicKey(bad), /Keypair data is invalid: failed to generate fingerprint/, JSON.stringify(bad.slice(0, 30)));
    }
  });

  it('generates RSA pairs whose PKCS#1 private key matches the public key', () => {
    const k = generateSshKeyPair();
    assert.match(k.privateKey, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(k.publicKey, /^ssh-rsa \S+ Generated-by-Nova$/);
    const priv = sshUtils.parseKey(k.privateKey);
    assert.ok(!(priv instanceof Error) && !Array.isArray(priv));
    assert.equal(priv.getPublicSSH().toString('base64'), k.publicKey.split(' ')[1]);
    assert.equal(k.fingerprint, sshFingerprint(k.publicKey));
  });

  it('generates WinRM certificates and fingerprints them as SHA1 of the DER', () => {
    const k = generateX509KeyPair('bob');
    const cert = new X509Certificate(k.publicKey);
    assert.equal(cert.subject, 'CN=bob');
    assert.equal(cert.issuer, 'CN=bob');
    assert.match(cert.subjectAltName ?? '', /bob@localhost/);
    assert.equal(x509Fingerprint(k.publicKey), cert.fingerprint.toLowerCase());
    assert.throws(() => x509Fingerprint('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /failed to generate X509 fingerprint/);
  });
});
