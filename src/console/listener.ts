import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { Logger } from '../lib/log';

/** [DEFAULT] ssl_only, cert, key (nova/conf/novnc.py). */
export interface ProxyTlsConf {
  ssl_only: boolean;
  cert: string;
  key: string;
}

/** Certificate and key for the proxy ports, or null when no certificate file exists (plain only). */
export function loadProxyTls(c: ProxyTlsConf): tls.SecureContextOptions | null {
  // Relative paths are taken from the working directory, as websockify does with Nova's 'self.pem'.
  const certPath = c.cert ? path.resolve(c.cert) : '';
  if (!certPath || !fs.existsSync(certPath)) {
    if (c.ssl_only) throw new Error(`[DEFAULT] ssl_only is set but the certificate '${certPath || '(empty)'}' ([DEFAULT] cert) does not exist: create it or unset ssl_only`);
    return null;
  }
  const cert = fs.readFileSync(certPath);
  const keyPath = c.key ? path.resolve(c.key) : certPath;
  if (!fs.existsSync(keyPath)) throw new Error(`the console proxy key '${keyPath}' ([DEFAULT] key) does not exist: fix [DEFAULT] key or put the key in the cert file`);
  const key = fs.readFileSync(keyPath);
  try {
    tls.createSecureContext({ cert, key });
  } catch (e) {
    throw new Error(`the console proxy certificate '${certPath}' or key '${keyPath}' cannot be used: ${(e as Error).message}`);
  }
  return { cert, key };
}

export interface DualListenOptions {
  host: string;
  port: number;
  /** TLS is offered when set. */
  tls: tls.SecureContextOptions | null;
  sslOnly: boolean;
  /** A plain TCP client. */
  plain(socket: net.Socket): void;
  /** A client that opened with a TLS ClientHello: the raw socket, still to be wrapped. */
  secure(socket: net.Socket): void;
  log: Logger;
  /** Milliseconds a client may stay silent before its first byte (default 30 s). */
  firstByteTimeoutMs?: number;
}

const TLS_HANDSHAKE = 0x16;

/**
 * One port for plain and TLS clients, as websockify serves them: the first byte of a connection tells
 * a TLS ClientHello from anything else. With ssl_only, plain clients are dropped.
 */
export async function listenDual(o: DualListenOptions): Promise<{ server: net.Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setTimeout(o.firstByteTimeoutMs ?? 30000, () => socket.destroy());
    const onReadable = () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) return;
      socket.removeListener('readable', onReadable);
      socket.setTimeout(0);
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE && o.tls) return o.secure(socket);
      if (o.sslOnly) {
        o.log.info(`refused a plain connection from ${socket.remoteAddress}: [DEFAULT] ssl_only is set`);
        return socket.destroy();
      }
      o.plain(socket);
    };
    socket.on('readable', onReadable);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  return {
    server,
    port: typeof addr === 'object' && addr ? addr.port : o.port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}

/** The URL a daemon was bound to, with 0.0.0.0 shown as `advertise`. */
export function boundUrl(scheme: string, host: string, port: number, advertise: string): string {
  const shown = host === '0.0.0.0' || host === '::' ? advertise : host;
  return `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
