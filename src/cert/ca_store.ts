import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { NovaConf } from '../conf/schema';
import { InvalidInput } from '../exception';
import { Logger } from '../lib/log';
import { buildCrl, RevokedEntry } from './crl';
import { CAKeyUnreadable, CryptoCAFileNotFound, CryptoCRLFileNotFound } from './errors';
import { ensureDir, PUBLIC_FILE_MODE, SECRET_DIR_MODE, SECRET_FILE_MODE, writeFileAtomic, writeNewFile } from './files';
import { generateRsaKeyPair, isEncryptedPem, parseStoredKey, storedKeyPem } from './keys';
import { buildSubject, isoTime } from './subject';
import { buildCertificate, CA_CERT_DAYS, randomSerialHex, Signer } from './x509';

export type CryptoConf = NovaConf['crypto'];

/** The folder of the root CA, relative to ca_path. */
export const ROOT_FOLDER = '.';
// Nova's genrootca.sh took openssl.cnf's defaults (C, ST, L, O=NOVA ROOT); the CN tells one cloud's root from another's.
const ROOT_SUBJECT = '/C=US/ST=California/L=Mountain View/O=NOVA ROOT/CN=nova-root-ca-%s';
// A project id becomes a folder name: keep it to characters that cannot climb out of ca_path.
const SAFE_PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

/** A CA ready to sign: its certificate and key, where it lives, and the chain a verifier needs. */
export interface CertificateAuthority extends Signer {
  /** Relative to ca_path: '.' for the root, 'projects/<project_id>' for a project CA. */
  folder: string;
  dir: string;
  certPem: string;
  /** This CA's certificate followed by its issuers' up to the root (the content of its ca_file). */
  chainPem: string;
}

/**
 * The CA tree on disk, laid out as Nova's: `ca_path/{cacert.pem, private/cakey.pem, crl.pem,
 * newcerts/<serial>.pem}` for the root and the same under `ca_path/projects/<project_id>/` for each
 * project CA. Keys are mode 0600 in 0700 folders, encrypted when `ca_key_passphrase` is set.
 * Changes to one CA run one at a time in this process; a project CA appears whole or not at all.
 */
export class CaStore {
  private loaded = new Map<string, CertificateAuthority>();
  private locks = new Map<string, Promise<unknown>>();

  constructor(private conf: CryptoConf, private log: Logger) {}

  get caPath(): string { return path.resolve(this.conf.ca_path); }

  /** The CA folder that signs a project's certificates (the root unless use_project_ca). */
  folderFor(projectId: string | null | undefined): string {
    if (!this.conf.use_project_ca || !projectId) return ROOT_FOLDER;
    if (!SAFE_PROJECT_ID.test(projectId)) {
      throw new InvalidInput({ reason: `project id '${projectId}' cannot name a project CA folder (letters, digits, '_', '.', '-' only)` });
    }
    return path.posix.join('projects', projectId);
  }

  projectOf(folder: string): string | null {
    return folder === ROOT_FOLDER ? null : path.posix.basename(folder);
  }

  dirOf(folder: string): string { return path.join(this.caPath, folder); }
  certFile(folder: string): string { return path.join(this.dirOf(folder), this.conf.ca_file); }
  keyFile(folder: string): string { return path.join(this.dirOf(folder), this.conf.key_file); }
  crlFile(folder: string): string { return path.join(this.dirOf(folder), this.conf.crl_file); }
  private crlNumberFile(folder: string): string { return path.join(this.dirOf(folder), 'crlnumber'); }

  /** Makes the root CA on first start; later starts load it. Idempotent. */
  ensureRoot(): Promise<CertificateAuthority> {
    return this.locked(ROOT_FOLDER, async () => {
      const cached = this.loaded.get(ROOT_FOLDER);
      if (cached) return cached;
      ensureDir(this.caPath);
      if (fs.existsSync(this.certFile(ROOT_FOLDER))) return this.load(ROOT_FOLDER);
      // The certificate is written last: while it is missing, the CA counts as not made and is made again.
      const ca = await this.generate(ROOT_FOLDER, this.dirOf(ROOT_FOLDER), null, buildSubject(ROOT_SUBJECT, [isoTime()], 'root CA subject'));
      this.loaded.set(ROOT_FOLDER, ca);
      this.log.info(`created root CA in ${this.caPath}`);
      return ca;
    });
  }

  /** The CA that signs `projectId`'s certificates, making the project's CA on first use. */
  async signerFor(projectId: string | null | undefined): Promise<CertificateAuthority> {
    const folder = this.folderFor(projectId);
    const root = await this.ensureRoot();
    if (folder === ROOT_FOLDER) return root;
    return this.locked(folder, async () => {
      const existing = this.loaded.get(folder) ?? (fs.existsSync(this.certFile(folder)) ? await this.load(folder) : undefined);
      if (existing) return existing;
      return this.createProjectCa(folder, root);
    });
  }

  /** A CA that already exists on disk, or null (nothing is created). */
  async existing(folder: string): Promise<CertificateAuthority | null> {
    if (this.loaded.has(folder)) return this.loaded.get(folder)!;
    if (!fs.existsSync(this.certFile(folder))) return null;
    return this.locked(folder, async () => this.loaded.get(folder) ?? this.load(folder));
  }

  /** Where the copy of an issued certificate is kept: `newcerts/<serial>.pem` of its CA. */
  issuedFile(ca: CertificateAuthority, serial: string): string {
    return path.join(ca.dir, 'newcerts', `${serial}.pem`);
  }

  /** Keeps a copy of an issued certificate (never replacing one); returns its path. */
  recordIssued(ca: CertificateAuthority, serial: string, certPem: string): string {
    const file = this.issuedFile(ca, serial);
    ensureDir(path.dirname(file));
    writeNewFile(file, certPem, PUBLIC_FILE_MODE);
    return file;
  }

  /** Signs and writes a new CRL for the CA in `folder`, listing `revoked`. */
  reissueCrl(folder: string, revoked: RevokedEntry[]): Promise<void> {
    return this.locked(folder, async () => {
      const ca = this.loaded.get(folder) ?? await this.load(folder);
      this.writeCrl(ca, revoked);
    });
  }

  readCa(folder: string): string {
    const file = this.certFile(folder);
    if (!fs.existsSync(file)) throw new CryptoCAFileNotFound({ project: this.projectOf(folder) });
    return fs.readFileSync(file, 'utf8');
  }

  readCrl(folder: string): string {
    const file = this.crlFile(folder);
    if (!fs.existsSync(file)) throw new CryptoCRLFileNotFound({ project: this.projectOf(folder) });
    return fs.readFileSync(file, 'utf8');
  }

  /** Builds a project CA in a scratch folder, then renames it into place in one step. */
  private async createProjectCa(folder: string, root: CertificateAuthority): Promise<CertificateAuthority> {
    const finalDir = this.dirOf(folder);
    ensureDir(path.dirname(finalDir));
    const scratch = path.join(path.dirname(finalDir), `.new-${path.basename(finalDir)}-${randomBytes(4).toString('hex')}`);
    const projectId = path.posix.basename(folder);
    let ca: CertificateAuthority;
    try {
      const subject = buildSubject(this.conf.project_cert_subject, [projectId, isoTime()], 'project_cert_subject');
      ca = await this.generate(folder, scratch, root, subject);
      try {
        fs.renameSync(scratch, finalDir);
      } catch (e) {
        // Another process made this project's CA meanwhile: use that one.
        if (!['EEXIST', 'ENOTEMPTY'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
        return this.load(folder);
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    ca.dir = finalDir;
    this.loaded.set(folder, ca);
    this.log.info(`created CA of project ${projectId} in ${finalDir}`);
    return ca;
  }

  /** Generates a CA into `dir`: key, first (empty) CRL, then the certificate. */
  private async generate(folder: string, dir: string, issuer: CertificateAuthority | null, subject: ReturnType<typeof buildSubject>): Promise<CertificateAuthority> {
    const keys = await generateRsaKeyPair();
    const cert = buildCertificate({
      serial: randomSerialHex(), subject, publicKey: keys.publicKey, days: CA_CERT_DAYS, isCA: true, issuer, selfKey: keys.privateKey,
    });
    const certPem = forge.pki.certificateToPem(cert);
    const chainPem = certPem + (issuer ? issuer.chainPem : '');
    const ca: CertificateAuthority = { folder, dir, cert, key: keys.privateKey, certPem, chainPem };
    ensureDir(dir);
    const keyFile = path.join(dir, this.conf.key_file);
    if (path.dirname(keyFile) !== dir) {
      ensureDir(path.dirname(keyFile), SECRET_DIR_MODE);
      fs.chmodSync(path.dirname(keyFile), SECRET_DIR_MODE);
    }
    ensureDir(path.join(dir, 'newcerts'));
    writeFileAtomic(keyFile, storedKeyPem(keys.privateKey, this.conf.ca_key_passphrase), SECRET_FILE_MODE);
    this.writeCrl(ca, [], path.join(dir, this.conf.crl_file), path.join(dir, 'crlnumber'));
    writeFileAtomic(path.join(dir, this.conf.ca_file), chainPem, PUBLIC_FILE_MODE);
    return ca;
  }

  /** Reads a CA from disk; checks its key belongs to its certificate; re-writes a plain key encrypted when a passphrase is set. */
  private async load(folder: string): Promise<CertificateAuthority> {
    const certFile = this.certFile(folder);
    const keyFile = this.keyFile(folder);
    if (!fs.existsSync(keyFile)) throw new CAKeyUnreadable({ path: keyFile, reason: `it is missing while ${certFile} exists; restore it from a backup, or move the CA folder away to make a new CA` });
    const chainPem = fs.readFileSync(certFile, 'utf8');
    const cert = forge.pki.certificateFromPem(chainPem);
    const keyPem = fs.readFileSync(keyFile, 'utf8');
    const key = parseStoredKey(keyPem, this.conf.ca_key_passphrase, keyFile);
    if ((cert.publicKey as forge.pki.rsa.PublicKey).n.compareTo(key.n) !== 0) {
      throw new CAKeyUnreadable({ path: keyFile, reason: `it is not the key of the certificate ${certFile}` });
    }
    if (this.conf.ca_key_passphrase && !isEncryptedPem(keyPem)) {
      writeFileAtomic(keyFile, storedKeyPem(key, this.conf.ca_key_passphrase), SECRET_FILE_MODE);
      this.log.info(`encrypted CA key ${keyFile} with [crypto] ca_key_passphrase`);
    }
    const ca: CertificateAuthority = {
      folder, dir: this.dirOf(folder), cert, key, certPem: forge.pki.certificateToPem(cert), chainPem,
    };
    this.loaded.set(folder, ca);
    return ca;
  }

  private writeCrl(ca: CertificateAuthority, revoked: RevokedEntry[], crlFile = this.crlFile(ca.folder), numberFile = this.crlNumberFile(ca.folder)): void {
    const number = fs.existsSync(numberFile) ? parseInt(fs.readFileSync(numberFile, 'utf8').trim(), 16) || 1 : 1;
    const pem = buildCrl(ca, revoked, number);
    writeFileAtomic(numberFile, `${(number + 1).toString(16).toUpperCase().padStart(2, '0')}\n`, PUBLIC_FILE_MODE);
    writeFileAtomic(crlFile, pem, PUBLIC_FILE_MODE);
  }

  /** Runs `task` after the tasks queued before it on the same CA folder. */
  private locked<T>(folder: string, task: () => Promise<T>): Promise<T> {
    const before = this.locks.get(folder) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.catch(() => undefined);
    this.locks.set(folder, tail);
    void tail.then(() => { if (this.locks.get(folder) === tail) this.locks.delete(folder); });
    return run;
  }
}
