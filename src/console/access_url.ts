/** Console types whose URL the API hands out, by protocol (Nova's remote_consoles schema, 2.6+). */
export const CONSOLE_TYPES: Record<string, readonly string[]> = {
  vnc: ['novnc', 'xvpvnc'],
  spice: ['spice-html5'],
  rdp: ['rdp-html5'],
  serial: ['serial'],
  mks: ['webmks'],
};

/**
 * The URL a user opens, as Nova builds it (ConsoleAuthToken.access_url): `base?token=TOKEN`, except
 * for noVNC, whose page takes the token inside its websocket `path` (noVNC 1.x dropped the top-level
 * `token` parameter): `base?path=%3Ftoken%3DTOKEN`, which opens `ws://proxy/?token=TOKEN`.
 */
export function buildAccessUrl(base: string, consoleType: string, token: string): string {
  const sep = base.includes('?') ? '&' : '?';
  const t = encodeURIComponent(token);
  if (consoleType === 'novnc') return `${base}${sep}path=${encodeURIComponent(`?token=`)}${t}`;
  return `${base}${sep}token=${t}`;
}
