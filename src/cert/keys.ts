import * as forge from 'node-forge';
import { CAKeyUnreadable } from './errors';

export const RSA_BITS = 2048;
// PBKDF2 rounds for CA keys at rest. node-forge runs them in JavaScript, once per CA per process
// (keys stay in memory once read), so this costs a fraction of a second at start.
const PBKDF2_ROUNDS = 100_000;

/** A new RSA key pair (node-forge hands the work to Node's native generator when it can). */
export function generateRsaKeyPair(bits = RSA_BITS): Promise<forge.pki.rsa.KeyPair> {
  return new Promise((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (err, keys) => (err ? reject(err) : resolve(keys)));
  });
}

/** PEM of a CA key as stored: PKCS#8 encrypted with AES-256 (PBES2) when a passphrase is set, else PKCS#1. */
export function storedKeyPem(key: forge.pki.rsa.PrivateKey, passphrase: string): string {
  if (!passphrase) return forge.pki.privateKeyToPem(key);
  return forge.pki.encryptRsaPrivateKey(key, passphrase, { algorithm: 'aes256', count: PBKDF2_ROUNDS, prfAlgorithm: 'sha256' });
}

export function isEncryptedPem(pem: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

/**
 * Reads a stored CA key. An encrypted key needs the passphrase it was written with; a plain one is
 * read as is (the caller re-writes it encrypted when a passphrase is now configured).
 */
export function parseStoredKey(pem: string, passphrase: string, file: string): forge.pki.rsa.PrivateKey {
  if (isEncryptedPem(pem)) {
    if (!passphrase) throw new CAKeyUnreadable({ path: file, reason: 'it is encrypted and [crypto] ca_key_passphrase is empty; set it to the passphrase the key was written with' });
    let key: forge.pki.rsa.PrivateKey | null = null;
    try { key = forge.pki.decryptRsaPrivateKey(pem, passphrase); } catch { key = null; }
    if (!key) throw new CAKeyUnreadable({ path: file, reason: 'the [crypto] ca_key_passphrase does not decrypt it; set the passphrase the key was written with' });
    return key;
  }
  try {
    return forge.pki.privateKeyFromPem(pem);
  } catch (e) {
    throw new CAKeyUnreadable({ path: file, reason: `not an RSA private key in PEM (${(e as Error).message})` });
  }
}
