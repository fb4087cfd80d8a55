import * as fs from 'node:fs';
import * as path from 'node:path';
import { WebClient } from './websocket_proxy';

/** The first of `candidates` that exists, walking up from this file (dist/src/console or src/console). */
function findUp(relative: string): string | null {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, relative);
    if (fs.existsSync(p)) return p;
    dir = path.dirname(dir);
  }
  return null;
}

/** Root of the installed @novnc/novnc package (its `exports` hides package.json from require.resolve). */
export function novncPackageDir(): string {
  for (const base of require.resolve.paths('@novnc/novnc') ?? []) {
    const dir = path.join(base, '@novnc', 'novnc');
    if (fs.existsSync(path.join(dir, 'core', 'rfb.js'))) return dir;
  }
  throw new Error('the noVNC library is not installed (npm package @novnc/novnc): run npm install');
}

/**
 * nova-novncproxy's web client: this project's console page (templates/console/vnc_lite.html, also
 * served as vnc_auto.html and vnc.html) and the noVNC library it imports, from the npm package.
 */
export function novncWebClient(): WebClient {
  const page = findUp(path.join('templates', 'console', 'vnc_lite.html'));
  if (!page) throw new Error('templates/console/vnc_lite.html is missing from this installation');
  const pkg = novncPackageDir();
  return {
    index: '/vnc_lite.html',
    aliases: { '/vnc_lite.html': page, '/vnc_auto.html': page, '/vnc.html': page },
    mounts: [{ prefix: '/core/', dir: path.join(pkg, 'core') }, { prefix: '/vendor/', dir: path.join(pkg, 'vendor') }],
  };
}

/** nova-spicehtml5proxy's web client: the spice-html5 files in `[DEFAULT] web` (Debian package spice-html5). */
export function spiceWebClient(webDir: string): WebClient {
  return {
    index: '/spice_auto.html',
    mounts: [{ prefix: '/', dir: webDir }],
    missingHint: fs.existsSync(path.join(webDir, 'spice_auto.html')) ? undefined
      : `the spice-html5 client is not in ${webDir} ([DEFAULT] web): install the Debian package spice-html5 (scripts/ci/setup-consoles.sh)`,
  };
}
