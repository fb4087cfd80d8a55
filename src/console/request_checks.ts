import { IncomingHttpHeaders } from 'node:http';

/** Reads one cookie from a Cookie header; malformed parts are skipped. */
function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== name) continue;
    try { return decodeURIComponent(part.slice(i + 1).trim().replace(/^"(.*)"$/, '$1')); } catch { continue; }
  }
  return null;
}

/**
 * The console token of a websocket request, where clients put it: `?token=` (Nova's convention),
 * a token inside a `path` parameter (`?path=websockify%3Ftoken%3D...`, noVNC's page parameter
 * passed through), or the `token` cookie that spice-html5 and old noVNC pages set.
 */
export function tokenFromRequest(url: string, headers: IncomingHttpHeaders): string | null {
  const q = new URL(url, 'http://proxy.invalid').searchParams;
  const direct = q.get('token');
  if (direct) return direct;
  const nested = q.get('path');
  if (nested) {
    const inner = new URL(nested.startsWith('/') ? nested : `/${nested}`, 'http://proxy.invalid').searchParams.get('token');
    if (inner) return inner;
  }
  return cookie(headers.cookie, 'token');
}

function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** The host name of a Host header, without its port. */
function hostName(hostHeader: string): string {
  const v6 = /^\[([^\]]+)\]/.exec(hostHeader);
  if (v6) return v6[1].toLowerCase();
  return hostHeader.split(':')[0].toLowerCase();
}

/**
 * Nova's Origin check of console websockets: a browser's Origin must name this proxy's host (as the
 * Host header does) or one of `[console] allowed_origins`, with the scheme of the URL the API handed
 * out (http for ws, https for wss). No Origin: not a browser, allowed. Returns the refusal, or null.
 */
export function originRefusal(headers: IncomingHttpHeaders, accessUrl: string, allowedOrigins: string[]): string | null {
  const origin = headers.origin;
  if (origin === undefined) return null;
  let parsed: URL;
  try { parsed = new URL(origin); } catch { return 'Origin header not valid.'; }
  const scheme = (typeof headers['x-forwarded-proto'] === 'string' ? headers['x-forwarded-proto'] : parsed.protocol.replace(/:$/, '')).toLowerCase();
  if (!parsed.hostname || !scheme) return 'Origin header not valid.';
  const expected = new Set([...allowedOrigins.map(bare), hostName(headers.host ?? '')]);
  if (!expected.has(bare(parsed.hostname))) return 'Origin header does not match this host.';
  let accessScheme = '';
  try { accessScheme = new URL(accessUrl).protocol.replace(/:$/, ''); } catch { return 'No access_url in connection_info. Cannot validate protocol'; }
  const protos = new Set([accessScheme]);
  if (accessScheme === 'ws') protos.add('http');
  if (accessScheme === 'wss') protos.add('https');
  if (!protos.has(scheme)) return 'Origin header protocol does not match this host.';
  return null;
}
