import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import forge from 'node-forge';
import { utils as sshUtils } from 'ssh2';
import { CommandError } from './errors';

/**
 * Decrypts the password a guest posted to the metadata service: base64 of RSA PKCS#1 v1.5
 * ciphertext made with the server's public key (what novaclient did with `openssl rsautl -decrypt`).
 * Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809), so node-forge does the RSA step;
 * node's crypto and ssh2 read the key (PEM, PKCS#8 or OpenSSH format).
 */
export function decryptPassword(keyFile: string, ciphertext: string): string {
  let text: string;
  try {
    text = fs.readFileSync(keyFile, 'utf8');
  } catch (e) {
    throw new CommandError(`Can't open or read '${keyFile}': ${(e as Error).message}`);
  }
  const pem = rsaPem(keyFile, text);
  try {
    const key = forge.pki.privateKeyFromPem(pem);
    return key.decrypt(Buffer.from(ciphertext, 'base64').toString('binary'), 'RSAES-PKCS1-V1_5');
  } catch (e) {
    throw new CommandError(`Failed to decrypt the password with ${keyFile}: ${(e as Error).message}. Give the private key of the keypair the server was booted with.`);
  }
}

/** The key as a PKCS#1 "RSA PRIVATE KEY" PEM. */
function rsaPem(keyFile: string, text: string): string {
  if (text.includes('OPENSSH PRIVATE KEY')) {
    const parsed = sshUtils.parseKey(text);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key instanceof Error) throw new CommandError(`Can't read the private key in ${keyFile}: ${key.message}`);
    if (key.type !== 'ssh-rsa') throw new CommandError(`The key in ${keyFile} is ${key.type}: passwords are encrypted with RSA keys only.`);
    text = key.getPrivatePEM();
  }
  try {
    const key = crypto.createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa') throw new CommandError(`The key in ${keyFile} is ${key.asymmetricKeyType}: passwords are encrypted with RSA keys only.`);
    return key.export({ type: 'pkcs1', format: 'pem' }).toString();
  } catch (e) {
    if (e instanceof CommandError) throw e;
    throw new CommandError(`Can't read the private key in ${keyFile}: ${(e as Error).message}. Give an unencrypted RSA private key (PEM or OpenSSH format).`);
  }
}
