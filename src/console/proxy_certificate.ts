import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecureContextOptions } from 'node:tls';
import * as forge from 'node-forge';
import { ensureDir, SECRET_DIR_MODE, SECRET_FILE_MODE, writeFileAtomic } from '../cert/files';
import { generateRsaKeyPair } from '../cert/keys';
import { CertMethods } from '../cert/rpcapi';
import { buildSubject } from '../cert/subject';
import { makeCsr } from '../cert/x509';
import { adminContext } from '../context';
import { Logger } from '../lib/log';

const DAY_MS = 24 * 3600 * 1000;
/** nova-cert signs for 365 days; a proxy asks for a new certificate when fewer than this many remain. */
export const RENEW_BEFORE_DAYS = 30;

/** The key and certificate a proxy serves, as cached: one PEM file holding both, so they never mismatch. */
interface Cached {
  keyPem: string;
  certPem: string;
  notAfter: Date;
  names: Set<string>;
}

/** The subjectAltName entries of a certificate, as plain names and addresses. */
function sanNames(cert: X509Certificate): Set<string> {
  return new Set((cert.subjectAltName ?? '').split(', ').filter(Boolean).map((e) => e.replace(/^(DNS|IP Address):/, '').toLowerCase()));
}

function sameNames(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((n) => b.has(n));
}

export interface ProxyCertificateOptions {
  /** The daemon (novncproxy, ...), for messages. */
  daemon: string;
  /** The cache file: $state_path/console_tls/<daemon>.pem. */
  file: string;
  /** Host names and IP addresses the certificate must be valid for, the first becoming its CN. */
  names: string[];
  cert: Pick<CertMethods, 'sign_server_cert'>;
  log: Logger;
  now?: () => Date;
}

/**
 * A console proxy's TLS certificate from nova-cert ([console] ssl_from_cert_service): the proxy makes
 * its own key, sends nova-cert a certificate request over RPC (so it works on a host without the CA),
 * and caches key and certificate under state_path with mode 0600. A cached certificate is used while it
 * names the right hosts and has more than RENEW_BEFORE_DAYS left; after that a new one is asked for.
 */
export class ProxyCertificate {
  private current: Cached | null = null;
  private readonly wanted: Set<string>;

  constructor(private o: ProxyCertificateOptions) {
    this.wanted = new Set(o.names.map((n) => n.toLowerCase()));
  }

  private now(): Date { return this.o.now?.() ?? new Date(); }

  /** At start: the cached certificate when still good, else a new one; fails with the cause and the fix. */
  async obtain(): Promise<SecureContextOptions> {
    const cached = this.readCache();
    if (cached && !this.due(cached)) return this.use(cached);
    try {
      return this.use(await this.issue());
    } catch (e) {
      if (cached && cached.notAfter > this.now() && sameNames(cached.names, this.wanted)) {
        this.o.log.warn(`${this.o.daemon}: keeping the cached certificate (valid until ${cached.notAfter.toISOString()}): ${(e as Error).message}`);
        return this.use(cached);
      }
      throw e;
    }
  }

  /** A new key and certificate when the current one is due for renewal, else null. Errors are the caller's to log. */
  async renewIfDue(): Promise<SecureContextOptions | null> {
    if (this.current && !this.due(this.current)) return null;
    return this.use(await this.issue());
  }

  /** When the certificate in use expires. */
  get notAfter(): Date | null { return this.current?.notAfter ?? null; }

  private due(c: Cached): boolean {
    return c.notAfter.getTime() - this.now().getTime() < RENEW_BEFORE_DAYS * DAY_MS || !sameNames(c.names, this.wanted);
  }

  private use(c: Cached): SecureContextOptions {
    this.current = c;
    return { key: c.keyPem, cert: c.certPem };
  }

  private readCache(): Cached | null {
    if (!fs.existsSync(this.o.file)) return null;
    try {
      return this.parse(fs.readFileSync(this.o.file, 'utf8'));
    } catch (e) {
      this.o.log.warn(`${this.o.daemon}: ignoring the cached certificate ${this.o.file}: ${(e as Error).message}`);
      return null;
    }
  }

  private parse(pem: string): Cached {
    // node-forge writes CRLF and no final newline: keep each block as plain LF text ending in a newline.
    const block = (re: RegExp) => { const m = re.exec(pem.replace(/\r\n/g, '\n'))?.[0]; return m ? `${m}\n` : undefined; };
    const keyPem = block(/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+?-----END (RSA )?PRIVATE KEY-----/);
    const certPem = block(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
    if (!keyPem || !certPem) throw new Error('it does not hold a private key and a certificate');
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('its key is not the key of its certificate');
    return { keyPem, certPem, notAfter: new Date(cert.validTo), names: sanNames(cert) };
  }

  private async issue(): Promise<Cached> {
    const { daemon, names } = this.o;
    const keys = await generateRsaKeyPair();
    // nova-cert sets subject and names itself; the request only proves the key is ours.
    const csr = forge.pki.certificationRequestToPem(makeCsr(keys, buildSubject('/CN=%.64s', [names[0]], 'console proxy request subject')));
    let answer: { certificate: string };
    try {
      answer = await this.o.cert.sign_server_cert(adminContext(), { csr, names });
    } catch (e) {
      throw new Error(`${daemon}: [console] ssl_from_cert_service is set but nova-cert did not sign a certificate for ${names.join(', ')}: ` +
        `${(e as Error).message}. Start nova-cert ('nova daemon cert') on this cloud's transport_url, or unset ` +
        '[console] ssl_from_cert_service to serve [DEFAULT] cert/key instead');
    }
    const issued = this.parse(forge.pki.privateKeyToPem(keys.privateKey) + answer.certificate);
    ensureDir(path.dirname(this.o.file), SECRET_DIR_MODE);
    writeFileAtomic(this.o.file, issued.keyPem + issued.certPem, SECRET_FILE_MODE);
    this.o.log.info(`${daemon}: nova-cert issued the proxy certificate for ${names.join(', ')}, valid until ${issued.notAfter.toISOString()} (cached in ${this.o.file})`);
    return issued;
  }
}

/**
 * The names a proxy's certificate is for: the host name of its public base URL (what browsers connect
 * to), [DEFAULT] host, [DEFAULT] my_ip, and its listen address when it is a specific one.
 */
export function proxyCertNames(o: { baseUrl: string; host: string; myIp: string; listenHost: string }): string[] {
  const names: string[] = [];
  const add = (n: string) => { const v = n.replace(/^\[(.*)\]$/, '$1').toLowerCase(); if (v && !names.includes(v)) names.push(v); };
  try { add(new URL(o.baseUrl).hostname); } catch { /* a base URL that does not parse is the API's problem, not the certificate's */ }
  add(o.host);
  add(o.myIp);
  if (!['0.0.0.0', '::', ''].includes(o.listenHost)) add(o.listenHost);
  return names;
}
