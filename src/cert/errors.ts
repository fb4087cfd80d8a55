import { defineError, NotFound } from '../exception';

// nova-cert's errors (nova/exception.py of 15.0 Ocata). Kept beside the service rather than in
// src/exception.ts so this feature merges without touching the shared list; importing the cert
// RPC client registers them, so they cross the queue as themselves.
export const FileNotFound = defineError('FileNotFound', 404, 'File %(file_path)s could not be found.', NotFound);
export const CryptoCAFileNotFound = defineError('CryptoCAFileNotFound', 404, 'The CA file for %(project)s could not be found', FileNotFound);
export const CryptoCRLFileNotFound = defineError('CryptoCRLFileNotFound', 404, 'The CRL file for %(project)s could not be found', FileNotFound);
export const ProjectNotFound = defineError('ProjectNotFound', 404, 'Project %(project_id)s could not be found.', NotFound);
export const DecryptionFailure = defineError('DecryptionFailure', 500, 'Failed to decrypt text: %(reason)s');
export const RevokeCertFailure = defineError('RevokeCertFailure', 500, 'Failed to revoke certificate for %(project_id)s');
/** The CA key on disk cannot be read with the configured passphrase (an operator problem, not the caller's). */
export const CAKeyUnreadable = defineError('CAKeyUnreadable', 500, 'Cannot read the CA private key %(path)s: %(reason)s');
