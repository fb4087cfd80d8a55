import * as fs from 'node:fs';
import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { CommandError } from '../../client/errors';

export default class X509GetRootCert extends ClientCommand {
  static summary = 'Fetch the x509 root cert.';
  static description = 'Writes the CA that signs the project\'s certificates (GET /os-certificates/root) to a file; refuses to overwrite it.';
  static aliases = ['x509-get-root-cert'];
  static args = {
    filename: Args.string({ description: 'Filename to write the x509 root cert.', default: 'cacert.pem' }),
  };

  async run(): Promise<{ file: string }> {
    const { args, flags } = await this.parse(X509GetRootCert);
    if (fs.existsSync(args.filename)) throw new CommandError(`Unable to write x509 root cert - ${args.filename} exists.`);
    const certificate = await (await this.connect(flags)).certificates.root();
    fs.writeFileSync(args.filename, certificate.data, { flag: 'wx' });
    this.log(`Wrote x509 root cert to ${args.filename}`);
    return { file: args.filename };
  }
}
