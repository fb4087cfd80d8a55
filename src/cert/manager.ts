import * as forge from 'node-forge';
import { RequestContext } from '../context';
import * as certificates from '../db/api/certificates';
import { InvalidInput } from '../exception';
import { Logger } from '../lib/log';
import { Manager } from '../service/service';
import { CaStore, CryptoConf } from './ca_store';
import { DecryptionFailure, ProjectNotFound, RevokeCertFailure } from './errors';
import { generateRsaKeyPair } from './keys';
import { CERT_RPC_VERSION, CertMethods, ServerCertificate, X509Credentials } from './rpcapi';
import { parseServerNames } from './server_names';
import { buildSubject, isoTime } from './subject';
import { makeCsr, randomSerialHex, signCsr, signServerCsr } from './x509';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function requireId(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidInput({ reason: `${name} must be a non-empty string` });
  return value;
}

/** nova-cert (nova/cert/manager.py with nova/crypto.py): issues, revokes and serves X.509 certificates. */
export class CertManager implements Manager, CertMethods {
  readonly rpcTarget = { version: CERT_RPC_VERSION };
  readonly store: CaStore;

  constructor(private conf: CryptoConf, private log: Logger) {
    this.store = new CaStore(conf, log);
  }

  async initHost(): Promise<void> {
    await this.store.ensureRoot();
  }

  async generate_x509_cert(_ctx: RequestContext, a: { user_id: string; project_id: string }): Promise<X509Credentials> {
    const userId = requireId(a.user_id, 'user_id');
    const projectId = requireId(a.project_id, 'project_id');
    const subject = buildSubject(this.conf.user_cert_subject, [projectId, userId, isoTime()], 'user_cert_subject');
    const ca = await this.store.signerFor(projectId);
    const keys = await generateRsaKeyPair();
    const serial = randomSerialHex();
    const certPem = forge.pki.certificateToPem(signCsr(makeCsr(keys, subject), ca, serial));
    const row = await certificates.certificateCreate({
      user_id: userId, project_id: projectId, serial, ca_folder: ca.folder, file_name: this.store.issuedFile(ca, serial),
    });
    try {
      this.store.recordIssued(ca, serial, certPem);
    } catch (e) {
      await certificates.certificateDestroy(row.id);
      throw e;
    }
    this.log.info(`issued certificate ${serial} to user ${userId} of project ${projectId} (CA ${ca.folder})`);
    return { private_key: forge.pki.privateKeyToPem(keys.privateKey), certificate: certPem };
  }

  async sign_server_cert(_ctx: RequestContext, a: { csr: string; names: string[] }): Promise<ServerCertificate> {
    const { first, names } = parseServerNames(a.names);
    let csr: forge.pki.CertificateSigningRequest;
    try {
      csr = forge.pki.certificationRequestFromPem(requireId(a.csr, 'csr'));
    } catch (e) {
      if (e instanceof InvalidInput) throw e;
      throw new InvalidInput({ reason: `csr is not a PEM certificate request with an RSA key (${(e as Error).message})` });
    }
    const root = await this.store.ensureRoot();
    const subject = buildSubject(this.conf.server_cert_subject, [first], 'server_cert_subject');
    const serial = randomSerialHex();
    const certPem = forge.pki.certificateToPem(signServerCsr(csr, root, serial, subject, names));
    this.store.recordIssued(root, serial, certPem);
    this.log.info(`issued server certificate ${serial} for ${[...names.dns, ...names.ips].join(', ')}`);
    return { certificate: certPem, ca: root.certPem };
  }

  async revoke_certs_by_user(_ctx: RequestContext, a: { user_id: string }): Promise<number> {
    return this.revoke(await certificates.certificateGetAllByUser(requireId(a.user_id, 'user_id')));
  }

  async revoke_certs_by_project(_ctx: RequestContext, a: { project_id: string }): Promise<number> {
    return this.revoke(await certificates.certificateGetAllByProject(requireId(a.project_id, 'project_id')));
  }

  async revoke_certs_by_user_and_project(_ctx: RequestContext, a: { user_id: string; project_id: string }): Promise<number> {
    return this.revoke(await certificates.certificateGetAllByUserAndProject(requireId(a.user_id, 'user_id'), requireId(a.project_id, 'project_id')));
  }

  async fetch_ca(_ctx: RequestContext, a: { project_id: string | null }): Promise<string> {
    const ca = await this.store.signerFor(a.project_id);
    return this.store.readCa(ca.folder);
  }

  async fetch_crl(_ctx: RequestContext, a: { project_id: string | null }): Promise<string> {
    const ca = await this.store.signerFor(a.project_id);
    return this.store.readCrl(ca.folder);
  }

  async decrypt_text(_ctx: RequestContext, a: { project_id: string; text: string }): Promise<string> {
    const projectId = requireId(a.project_id, 'project_id');
    const ca = await this.store.existing(this.store.folderFor(projectId));
    if (!ca) throw new ProjectNotFound({ project_id: projectId });
    const text = typeof a.text === 'string' ? a.text.replace(/\s+/g, '') : '';
    if (!text || !BASE64.test(text)) throw new DecryptionFailure({ reason: 'the text is not base64' });
    try {
      const plain = ca.key.decrypt(Buffer.from(text, 'base64').toString('binary'), 'RSAES-PKCS1-V1_5');
      return Buffer.from(plain, 'binary').toString('base64');
    } catch (e) {
      throw new DecryptionFailure({ reason: (e as Error).message });
    }
  }

  /**
   * Marks the certificates revoked, then re-signs the CRL of every CA that issued one of them. The CRL
   * is rebuilt from the database, so a failed re-sign is repaired by asking again.
   */
  private async revoke(rows: certificates.CertificateObj[]): Promise<number> {
    const changed = await certificates.certificatesRevoke(rows.filter((r) => !r.revoked_at).map((r) => r.id), new Date());
    for (const folder of new Set(rows.map((r) => r.ca_folder))) {
      try {
        await this.store.reissueCrl(folder, await certificates.certificatesRevokedBy(folder));
      } catch (e) {
        const projectId = this.store.projectOf(folder) ?? rows.find((r) => r.ca_folder === folder)!.project_id;
        this.log.error(`revoking certificates of CA ${folder}: cannot re-sign its CRL: ${(e as Error).message}`);
        throw new RevokeCertFailure({ project_id: projectId });
      }
    }
    if (changed) this.log.info(`revoked ${changed} certificate(s)`);
    return changed;
  }
}
