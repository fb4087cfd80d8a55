import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { SecureContextOptions } from 'node:tls';
import { WebSocket, WebSocketServer } from 'ws';
import { ConnectInfo, ConsoleAuthMethods } from '../consoleauth/rpcapi';
import { adminContext } from '../context';
import { Logger } from '../lib/log';
import { boundUrl, listenDual } from './listener';
import { relayWebSocket } from './relay';
import { originRefusal, tokenFromRequest } from './request_checks';
import { SessionRegistry } from './sessions';
import { Aliases, Mount, serveStatic } from './static_files';
import { connectTarget } from './target';

export interface WebClient {
  mounts: Mount[];
  aliases?: Aliases;
  /** Page `/` redirects to, keeping the query string. */
  index: string;
  /** Said in 404 answers when the client's files are missing (which package to install). */
  missingHint?: string;
}

export interface WebsocketProxyOptions {
  /** novncproxy, spicehtml5proxy: for logs. */
  name: string;
  host: string;
  port: number;
  /** URL host shown when listening on 0.0.0.0 ([DEFAULT] my_ip). */
  advertise: string;
  tls: SecureContextOptions | null;
  sslOnly: boolean;
  consoleauth: ConsoleAuthMethods;
  /** Console types whose tokens this proxy relays ('novnc', 'spice-html5'). */
  consoleTypes: string[];
  /** [console] allowed_origins */
  allowedOrigins: string[];
  /** Paths that accept websockets. */
  websocketPaths: string[];
  /** The pages it serves; null for a websocket-only proxy (nova-serialproxy). */
  web: WebClient | null;
  sessions: SessionRegistry;
  log: Logger;
}

/** Answers a refused upgrade on the raw socket: nothing is relayed. */
function refuse(socket: net.Socket, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * A websocket console proxy (nova-novncproxy, nova-spicehtml5proxy): serves its web client over HTTP
 * and relays websockets to the console server a token leads to, after consoleauth accepted the token
 * and the browser's Origin fits this host. Plain and TLS on one port.
 */
export class WebsocketConsoleProxy {
  private plain = http.createServer();
  private secure?: https.Server;
  private wss = new WebSocketServer({
    noServer: true,
    // spice-html5 offers `binary` and Chromium drops a socket whose offer is not echoed; noVNC offers none.
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
    perMessageDeflate: false,
  });
  private listener?: Awaited<ReturnType<typeof listenDual>>;
  url = '';

  constructor(private o: WebsocketProxyOptions) {
    for (const server of this.servers()) this.wire(server);
  }

  private servers(): http.Server[] {
    if (this.o.tls && !this.secure) this.secure = https.createServer({ ...this.o.tls });
    return [this.plain, ...(this.secure ? [this.secure] : [])];
  }

  private wire(server: http.Server): void {
    // Idle HTTP clients go after 2 minutes; a websocket takes its socket over (ws clears the timeout).
    server.timeout = 120_000;
    server.on('request', (req, res) => this.onRequest(req, res));
    server.on('upgrade', (req, socket: net.Socket, head) => {
      socket.on('error', () => undefined);
      this.onUpgrade(req, socket, head).catch((e) => {
        this.o.log.error(`${this.o.name}: websocket from ${req.socket.remoteAddress} failed: ${(e as Error).message}`);
        refuse(socket, 500, 'console proxy error');
      });
    });
  }

  async start(): Promise<void> {
    const o = this.o;
    this.listener = await listenDual({
      host: o.host, port: o.port, tls: o.tls, sslOnly: o.sslOnly, log: o.log,
      plain: (s) => this.plain.emit('connection', s),
      secure: (s) => this.secure!.emit('connection', s),
    }).catch((e: Error) => { throw new Error(`${o.name} cannot listen on ${o.host}:${o.port} (${e.message}): change its host/port option`); });
    this.url = boundUrl(o.sslOnly ? 'https' : 'http', o.host, this.listener.port, o.advertise);
    o.log.info(`${o.name} listening on ${this.url}${o.tls ? (o.sslOnly ? ' (TLS only)' : ' (plain and TLS)') : ''}`);
  }

  get port(): number { return this.listener?.port ?? 0; }

  updateTls(tls: SecureContextOptions): void {
    if (!this.secure) throw new Error(`${this.o.name} was started without TLS: a certificate cannot be swapped in`);
    this.secure.setSecureContext(tls);
  }

  async stop(): Promise<void> {
    this.o.sessions.closeAll('console proxy stopping');
    for (const ws of this.wss.clients) ws.terminate();
    await this.listener?.close();
    this.plain.closeAllConnections();
    this.secure?.closeAllConnections();
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { web } = this.o;
    if (!web) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`${this.o.name} serves console websockets only (${this.o.websocketPaths.join(', ')}?token=...)\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method Not Allowed\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    if (url.pathname === '/') {
      res.writeHead(302, { location: `${web.index}${url.search}` }).end();
      return;
    }
    if (serveStatic(req, res, web.mounts, web.aliases)) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not Found${web.missingHint ? `: ${web.missingHint}` : ''}\n`);
  }

  private async onUpgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): Promise<void> {
    const o = this.o;
    const from = req.socket.remoteAddress;
    const pathname = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    if (!o.websocketPaths.includes(pathname)) return refuse(socket, 404, `websockets are served on ${o.websocketPaths.join(' and ')}`);
    const token = tokenFromRequest(req.url ?? '/', req.headers);
    if (!token) {
      o.log.info(`${o.name}: websocket from ${from} without a console token refused`);
      return refuse(socket, 401, 'a console token is required (?token=, or the token cookie)');
    }
    let info: ConnectInfo | null;
    try {
      info = await o.consoleauth.check_token(adminContext(), { token });
    } catch (e) {
      o.log.error(`${o.name}: cannot check a console token: ${(e as Error).message}`);
      return refuse(socket, 503, 'console authorization is unavailable (is nova-consoleauth running?)');
    }
    if (!info || !o.consoleTypes.includes(info.console_type)) {
      o.log.info(`${o.name}: websocket from ${from} with an invalid or expired console token refused`);
      return refuse(socket, 401, "The token '***' is invalid or has expired");
    }
    const originProblem = originRefusal(req.headers, info.access_url, o.allowedOrigins);
    if (originProblem) {
      o.log.info(`${o.name}: websocket from ${from} for instance ${info.instance_uuid} refused: ${originProblem}`);
      return refuse(socket, 403, originProblem);
    }
    let target: net.Socket;
    try {
      target = await connectTarget(info);
    } catch (e) {
      o.log.warn(`${o.name}: console of instance ${info.instance_uuid}: ${(e as Error).message}`);
      return refuse(socket, 502, `cannot reach the console of instance ${info.instance_uuid}`);
    }
    if (socket.destroyed) { target.destroy(); return; }
    const connect = info;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.relay(ws, target, connect, token));
  }

  private relay(ws: WebSocket, target: net.Socket, info: ConnectInfo, token: string): void {
    const o = this.o;
    o.log.info(`${o.name}: relaying ${info.console_type} console of instance ${info.instance_uuid} to ${info.host}:${info.port}`);
    const unregister = o.sessions.add({
      instance_uuid: info.instance_uuid, token, expires: info.expires,
      close: (reason) => {
        // 1008: policy violation, the reason the browser gets for a revoked console.
        if (ws.readyState === WebSocket.OPEN) ws.close(1008, reason.slice(0, 120));
        target.destroy();
        setTimeout(() => ws.terminate(), 1000).unref();
      },
    });
    relayWebSocket(ws, target, () => {
      unregister();
      o.log.debug(`${o.name}: console of instance ${info.instance_uuid} closed`);
    });
  }
}
