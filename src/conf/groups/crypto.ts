import { opt } from '../opt';

/** nova-cert's certificate authority (Nova's `[crypto]` group, nova/conf/crypto.py of 15.0 Ocata). */
export const crypto = {
  ca_file: opt.str('cacert.pem', 'File name of a CA certificate in its CA folder. A project CA file holds the project CA followed by the root CA (the chain a verifier needs).'),
  key_file: opt.str('private/cakey.pem', 'File name of the CA private key, relative to its CA folder.'),
  crl_file: opt.str('crl.pem', 'File name of the Certificate Revocation List of a CA, relative to its CA folder.'),
  keys_path: opt.str('$state_path/keys', 'Directory where keys are kept (kept for compatibility; nova-cert keeps CA keys under ca_path).'),
  ca_path: opt.str('$state_path/CA', 'Directory of the root CA; project CAs live in its projects/<project_id> subfolders.'),
  use_project_ca: opt.bool(false, 'Give each project its own CA (signed by the root CA) instead of signing every certificate with the root CA.'),
  user_cert_subject: opt.str('/C=US/ST=California/O=OpenStack/OU=NovaDev/CN=%.16s-%.16s-%s',
    'Subject of user certificates; the %s are filled with project, user and an ISO 8601 timestamp.'),
  project_cert_subject: opt.str('/C=US/ST=California/O=OpenStack/OU=NovaDev/CN=project-ca-%.16s-%s',
    'Subject of project CA certificates; the %s are filled with project and an ISO 8601 timestamp.'),
  server_cert_subject: opt.str('/C=US/ST=California/O=OpenStack/OU=NovaDev/CN=%.64s',
    'Subject of TLS server certificates (console proxies with [console] ssl_from_cert_service); the %s is filled with the host\'s first name.'),
  ca_key_passphrase: opt.str('', 'Passphrase that encrypts CA private keys at rest (PKCS#8, AES-256). Empty: keys are written unencrypted (mode 0600 either way). Keys written before it was set are re-written encrypted on first use.', { secret: true }),
};
