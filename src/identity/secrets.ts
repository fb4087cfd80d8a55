import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePassword } from './password';

/** Files under state_path that keep the generated passwords of the built-in Identity (mode 0600). */
export const ADMIN_PASSWORD_FILE = 'admin_password';
export const SERVICE_PASSWORD_FILE = 'service_password';

/** Reads a secret kept in `file`, or generates one and keeps it there readable by its owner only. */
export function readOrCreateSecret(file: string): string {
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = generatePassword();
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (e) {
    // Another process made it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readSecret(file) ?? secret;
    throw e;
  }
}

/** The secret kept in `file`, or undefined when there is none. Tightens its mode to 0600 if needed. */
export function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return text || undefined;
}
