import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Mode of private keys and of the folders holding them. */
export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;
export const PUBLIC_FILE_MODE = 0o644;

export function ensureDir(dir: string, mode = 0o755): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}

/**
 * Writes `data` to a temporary file beside `file` with `mode`, then renames it over `file`: readers see
 * the old content or the new one, never half of it. The chmod covers a umask that dropped bits.
 */
export function writeFileAtomic(file: string, data: string, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Creates `file` with `data`; fails with EEXIST rather than replace a file already there. */
export function writeNewFile(file: string, data: string, mode: number): void {
  fs.writeFileSync(file, data, { mode, flag: 'wx' });
  fs.chmodSync(file, mode);
}
