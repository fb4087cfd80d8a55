import { ComputeCaller } from './caller';

/** What /os-certificates answers: a PEM certificate, and the private key when one was made. */
export interface Certificate { data: string; private_key: string | null }

/** `POST /os-certificates` and `GET /os-certificates/root` (nova-cert). */
export class CertificatesApi {
  constructor(private readonly c: ComputeCaller) {}

  async create(): Promise<Certificate> {
    return (await this.c.call<{ certificate: Certificate }>('POST', '/os-certificates', { body: {} })).body.certificate;
  }

  async root(): Promise<Certificate> {
    return (await this.c.call<{ certificate: Certificate }>('GET', '/os-certificates/root')).body.certificate;
  }
}
