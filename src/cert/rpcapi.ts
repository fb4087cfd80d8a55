import { RequestContext } from '../context';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';
import './errors'; // registers nova-cert's errors so they come back over RPC as themselves

export const CERT_TOPIC = 'cert';
/** What nova-cert serves; 2.1 added sign_server_cert. Calls ask for the oldest version that has their method. */
export const CERT_RPC_VERSION = '2.1';

/** A new user key and the certificate the project's CA signed for it, both PEM. */
export interface X509Credentials {
  private_key: string;
  certificate: string;
}

/** A TLS server certificate signed by the root CA, and that root CA (what clients are told to trust), both PEM. */
export interface ServerCertificate {
  certificate: string;
  ca: string;
}

/** nova-cert's contract (nova/cert/rpcapi.py, version 2.0). */
export interface CertMethods {
  /** Revokes every certificate of a user; returns how many were newly revoked. */
  revoke_certs_by_user(ctx: RequestContext, a: { user_id: string }): Promise<number>;
  revoke_certs_by_project(ctx: RequestContext, a: { project_id: string }): Promise<number>;
  revoke_certs_by_user_and_project(ctx: RequestContext, a: { user_id: string; project_id: string }): Promise<number>;
  generate_x509_cert(ctx: RequestContext, a: { user_id: string; project_id: string }): Promise<X509Credentials>;
  /** PEM of the CA that signs the project's certificates, then its issuers' up to the root (a project CA is made on first use). */
  fetch_ca(ctx: RequestContext, a: { project_id: string | null }): Promise<string>;
  /** PEM CRL of the CA that signs the project's certificates. */
  fetch_crl(ctx: RequestContext, a: { project_id: string | null }): Promise<string>;
  /** RSA PKCS#1 v1.5 decryption with the project CA's key; `text` and the answer are base64. */
  decrypt_text(ctx: RequestContext, a: { project_id: string; text: string }): Promise<string>;
  /**
   * Signs a TLS server certificate (serverAuth, subjectAltName = `names`) with the root CA for the key
   * of the PEM PKCS#10 request `csr`: the private key stays on the host that asks (2.1).
   */
  sign_server_cert(ctx: RequestContext, a: { csr: string; names: string[] }): Promise<ServerCertificate>;
}

export function certRpcApi(transport: Transport, timeoutMs: number): CertMethods {
  const client = new RpcClient(transport, { topic: CERT_TOPIC }, { version: '2.0', timeoutMs });
  const v21 = client.prepare({ version: '2.1' });
  const call = <R>(method: string, c = client) => (ctx: RequestContext, a: object) => c.call<R>(ctx, method, a);
  return {
    revoke_certs_by_user: call('revoke_certs_by_user'),
    revoke_certs_by_project: call('revoke_certs_by_project'),
    revoke_certs_by_user_and_project: call('revoke_certs_by_user_and_project'),
    generate_x509_cert: call('generate_x509_cert'),
    fetch_ca: call('fetch_ca'),
    fetch_crl: call('fetch_crl'),
    decrypt_text: call('decrypt_text'),
    sign_server_cert: call('sign_server_cert', v21),
  };
}
