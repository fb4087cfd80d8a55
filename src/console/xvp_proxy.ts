import * as net from 'node:net';
import * as tls from 'node:tls';
import { ConnectInfo, ConsoleAuthMethods } from '../consoleauth/rpcapi';
import { adminContext } from '../context';
import { Logger } from '../lib/log';
import { boundUrl, listenDual } from './listener';
import { relaySockets } from './relay';
import { SessionRegistry } from './sessions';
import { connectTarget } from './target';

export interface XvpProxyOptions {
  host: string;
  port: number;
  advertise: string;
  tls: tls.SecureContextOptions | null;
  sslOnly: boolean;
  consoleauth: ConsoleAuthMethods;
  sessions: SessionRegistry;
  log: Logger;
}

const MAX_REQUEST = 8192;

/** Reads an HTTP-like request head (request line and headers) up to the blank line; the rest stays unread. */
function readHead(socket: net.Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error('no request within the time allowed')), timeoutMs);
    const finish = (e: Error | null, head?: string, rest?: Buffer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      if (rest?.length) socket.unshift(rest);
      if (e) reject(e); else resolve(head!);
    };
    const onClose = () => finish(new Error('client closed before sending a request'));
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) return finish(null, buf.subarray(0, end).toString('latin1'), buf.subarray(end + 4));
      if (buf.length > MAX_REQUEST) finish(new Error('request head too large'));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

function answer(socket: net.Socket, status: string, body: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * nova-xvpvncproxy (nova/vnc/xvp_proxy.py): the OpenStack Java VNC viewer opens a TCP connection and
 * sends `CONNECT /console?token=TOKEN HTTP/1.0` and a blank line; with a valid token the proxy answers
 * `HTTP/1.1 200 OK`, a blank line, and from then on relays the raw VNC stream. A missing token is
 * `400 Invalid Request`, a bad one `401 Not Authorized`, as Nova answers. Plain and TLS on one port.
 */
export class XvpVncProxy {
  private tlsServer?: tls.Server;
  private listener?: Awaited<ReturnType<typeof listenDual>>;
  url = '';

  constructor(private o: XvpProxyOptions) {
    if (o.tls) {
      this.tlsServer = tls.createServer({ ...o.tls });
      this.tlsServer.on('secureConnection', (s) => this.handle(s));
      this.tlsServer.on('tlsClientError', (e) => o.log.info(`xvpvncproxy: TLS handshake failed: ${e.message}`));
    }
  }

  async start(): Promise<void> {
    const o = this.o;
    this.listener = await listenDual({
      host: o.host, port: o.port, tls: o.tls, sslOnly: o.sslOnly, log: o.log,
      plain: (s) => this.handle(s),
      secure: (s) => this.tlsServer!.emit('connection', s),
    }).catch((e: Error) => { throw new Error(`xvpvncproxy cannot listen on ${o.host}:${o.port} (${e.message}): change [vnc] xvpvncproxy_host/xvpvncproxy_port`); });
    this.url = boundUrl(o.sslOnly ? 'https' : 'http', o.host, this.listener.port, o.advertise);
    o.log.info(`xvpvncproxy listening on ${this.url}${o.tls ? (o.sslOnly ? ' (TLS only)' : ' (plain and TLS)') : ''}`);
  }

  get port(): number { return this.listener?.port ?? 0; }

  updateTls(tls: tls.SecureContextOptions): void {
    if (!this.tlsServer) throw new Error('xvpvncproxy was started without TLS: a certificate cannot be swapped in');
    this.tlsServer.setSecureContext(tls);
  }

  async stop(): Promise<void> {
    this.o.sessions.closeAll('console proxy stopping');
    await this.listener?.close();
  }

  private handle(client: net.Socket): void {
    client.on('error', () => undefined);
    this.serve(client).catch((e) => {
      this.o.log.error(`xvpvncproxy: connection from ${client.remoteAddress} failed: ${(e as Error).message}`);
      client.destroy();
    });
  }

  private async serve(client: net.Socket): Promise<void> {
    const o = this.o;
    const from = client.remoteAddress;
    let head: string;
    try { head = await readHead(client, 30000); } catch (e) {
      o.log.info(`xvpvncproxy: ${from}: ${(e as Error).message}`);
      return answer(client, '400 Invalid Request', 'Invalid Request');
    }
    const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(head.split('\r\n')[0]);
    const token = m ? new URL(m[2], 'http://proxy.invalid').searchParams.get('token') : null;
    if (!token) {
      o.log.info(`xvpvncproxy: request from ${from} made with missing token`);
      return answer(client, '400 Invalid Request', 'Invalid Request');
    }
    let info: ConnectInfo | null;
    try {
      info = await o.consoleauth.check_token(adminContext(), { token });
    } catch (e) {
      o.log.error(`xvpvncproxy: cannot check a console token: ${(e as Error).message}`);
      return answer(client, '503 Service Unavailable', 'Console authorization is unavailable');
    }
    if (!info || info.console_type !== 'xvpvnc') {
      o.log.info(`xvpvncproxy: request from ${from} made with an invalid token`);
      return answer(client, '401 Not Authorized', 'Not Authorized');
    }
    let target: net.Socket;
    try {
      target = await connectTarget(info);
    } catch (e) {
      o.log.warn(`xvpvncproxy: console of instance ${info.instance_uuid}: ${(e as Error).message}`);
      return answer(client, '400 Invalid Request', 'Invalid Request');
    }
    if (client.destroyed) { target.destroy(); return; }
    client.write('HTTP/1.1 200 OK\r\n\r\n');
    o.log.info(`xvpvncproxy: relaying console of instance ${info.instance_uuid} to ${info.host}:${info.port}`);
    const unregister = o.sessions.add({
      instance_uuid: info.instance_uuid, token, expires: info.expires,
      close: () => { client.destroy(); target.destroy(); },
    });
    relaySockets(client, target, unregister);
  }
}
