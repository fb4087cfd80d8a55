import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openssl } from './openssl';

/** A self-signed certificate for 127.0.0.1 (key and cert PEM files in a fresh temp dir). */
export function selfSignedCert(): { dir: string; keyFile: string; certFile: string; key: Buffer; cert: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const r = openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile]);
  if (r.code !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return { dir, keyFile, certFile, key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
}
