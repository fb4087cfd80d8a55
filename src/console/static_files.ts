import * as fs from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.gif': 'image/gif', '.jpg': 'image/jpeg', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8', '.ogg': 'audio/ogg', '.mp3': 'audio/mpeg',
};

/** A URL prefix served from a directory (`/core/` from the noVNC package, `/` from spice-html5, ...). */
export interface Mount { prefix: string; dir: string }

/** A URL path served by one file, whatever the mounts say (the noVNC page under its several names). */
export type Aliases = Record<string, string>;

/** The file a URL path names under the mounts, or null; never a file outside a mount's directory. */
export function resolveFile(urlPath: string, mounts: Mount[], aliases: Aliases = {}): string | null {
  let p: string;
  try { p = decodeURIComponent(urlPath); } catch { return null; }
  if (p.includes('\0')) return null;
  if (aliases[p]) return aliases[p];
  for (const m of mounts) {
    if (!p.startsWith(m.prefix)) continue;
    const root = path.resolve(m.dir);
    const file = path.resolve(root, `.${path.posix.normalize(`/${p.slice(m.prefix.length)}`)}`);
    if (file !== root && !file.startsWith(root + path.sep)) continue;
    if (path.basename(file).startsWith('.')) continue;
    try { if (fs.statSync(file).isFile()) return file; } catch { /* not here: try the next mount */ }
  }
  return null;
}

/** Answers GET/HEAD for static files; false when the path names none (the caller answers 404). */
export function serveStatic(req: IncomingMessage, res: ServerResponse, mounts: Mount[], aliases: Aliases = {}): boolean {
  const urlPath = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
  const file = resolveFile(urlPath, mounts, aliases);
  if (!file) return false;
  const size = fs.statSync(file).size;
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': String(size),
    'cache-control': 'no-cache', 'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') { res.end(); return true; }
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  return true;
}
