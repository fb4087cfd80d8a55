import * as fs from 'node:fs';
import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { CommandError } from '../../client/errors';

export default class X509CreateCert extends ClientCommand {
  static summary = 'Create x509 cert for a user in tenant.';
  static description = 'Asks nova-cert (POST /os-certificates) for a new private key and a certificate signed by the project\'s CA, '
    + 'and writes them to two files; refuses to overwrite either file.';
  static aliases = ['x509-create-cert'];
  static args = {
    pk_filename: Args.string({ description: 'Filename for the private key.', default: 'pk.pem' }),
    cert_filename: Args.string({ description: 'Filename for the X.509 certificate.', default: 'cert.pem' }),
  };

  async run(): Promise<{ private_key_file: string; certificate_file: string }> {
    const { args, flags } = await this.parse(X509CreateCert);
    // Checked before asking, so that no certificate is issued for nothing.
    if (fs.existsSync(args.pk_filename)) throw new CommandError(`Unable to write privatekey - ${args.pk_filename} exists.`);
    if (fs.existsSync(args.cert_filename)) throw new CommandError(`Unable to write x509 cert - ${args.cert_filename} exists.`);
    const certificate = await (await this.connect(flags)).certificates.create();
    // Read-only for the owner, as python-novaclient's umask 0377 made it; 'wx' still refuses a file created meanwhile.
    fs.writeFileSync(args.pk_filename, certificate.private_key ?? '', { mode: 0o400, flag: 'wx' });
    this.log(`Wrote private key to ${args.pk_filename}`);
    fs.writeFileSync(args.cert_filename, certificate.data, { flag: 'wx' });
    this.log(`Wrote x509 certificate to ${args.cert_filename}`);
    return { private_key_file: args.pk_filename, certificate_file: args.cert_filename };
  }
}
