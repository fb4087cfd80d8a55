import * as fs from 'node:fs';
import { Args } from '@oclif/core';
import { CertificateBody, ClientCommandError, computeRequest, directComputeFlags, DirectComputeCommand } from '../../cli/x509_direct_client';

export default class X509GetRootCert extends DirectComputeCommand {
  static summary = 'Fetch the x509 root cert.';
  static description = 'Writes the CA that signs the project\'s certificates (GET /os-certificates/root) to a file; refuses to overwrite it.';
  static aliases = ['x509-get-root-cert'];
  static args = {
    filename: Args.string({ description: 'Filename to write the x509 root cert.', default: 'cacert.pem' }),
  };
  static flags = directComputeFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(X509GetRootCert);
    try {
      if (fs.existsSync(args.filename)) throw new ClientCommandError('CommandError', `Unable to write x509 root cert - ${args.filename} exists.`);
      const { certificate } = await computeRequest<CertificateBody>(flags, 'GET', '/os-certificates/root');
      fs.writeFileSync(args.filename, certificate.data, { flag: 'wx' });
      this.log(`Wrote x509 root cert to ${args.filename}`);
    } catch (e) { this.fail(e); }
  }
}
