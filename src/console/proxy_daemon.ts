import { randomUUID } from 'node:crypto';
import { SecureContextOptions } from 'node:tls';
import { ConsoleAuthMethods } from '../consoleauth/rpcapi';
import { adminContext, RequestContext } from '../context';
import { Daemon } from '../daemons/daemon';
import { Logger } from '../lib/log';
import { RpcServer } from '../rpc/server';
import { Transport } from '../rpc/types';
import { PeriodicRunner } from '../service/periodic';
import { ProxyCertificate } from './proxy_certificate';
import { CONSOLE_PROXY_RPC_VERSION, CONSOLE_PROXY_TOPIC, ConsoleProxyMethods } from './proxy_rpc';
import { SessionRegistry } from './sessions';

/** What a console proxy daemon exposes besides start/stop (tests and `nova daemon` read these). */
export interface ConsoleProxyDaemon extends Daemon {
  readonly sessions: SessionRegistry;
  /** The URL it listens on, once started. */
  readonly url: string;
  readonly port: number;
  /** Re-checks the tokens of open sessions now (the periodic safety net); returns how many closed. */
  recheckSessions(): Promise<number>;
}

/** The fanout endpoint consoleauth casts to when it revokes an instance's tokens. */
class SessionCloser implements ConsoleProxyMethods {
  readonly rpcTarget = { version: CONSOLE_PROXY_RPC_VERSION };
  constructor(private name: string, private sessions: SessionRegistry, private log: Logger) {}

  async close_console_sessions(_ctx: RequestContext, a: { instance_uuid: string }): Promise<void> {
    const n = this.sessions.closeForInstance(a.instance_uuid, 'console token revoked');
    if (n) this.log.info(`${this.name}: closed ${n} console session(s) of instance ${a.instance_uuid}: its tokens were revoked`);
  }
}

export interface ProxyServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly url: string;
  readonly port: number;
  /** Serves new TLS connections with another key and certificate (open ones keep theirs). */
  updateTls(tls: SecureContextOptions): void;
}

/** Seconds between checks whether a nova-cert certificate is due for renewal. */
const CERT_CHECK_SPACING = 3600;

/**
 * Wraps a console proxy server as a daemon: it listens for consoleauth's session-closing fanout and,
 * every `recheckInterval` seconds, re-checks the tokens of its open sessions in case it missed one.
 */
export function consoleProxyDaemon(o: {
  name: string; server: ProxyServer; sessions: SessionRegistry; consoleauth: ConsoleAuthMethods; transport: Transport;
  host: string; recheckInterval: number; log: Logger;
  /** The nova-cert certificate to keep renewed ([console] ssl_from_cert_service), if any. */
  certificate?: ProxyCertificate | null;
}): ConsoleProxyDaemon {
  const rpc = new RpcServer(o.transport, { topic: CONSOLE_PROXY_TOPIC, server: `${o.host}.${o.name}.${randomUUID().slice(0, 8)}` },
    [new SessionCloser(o.name, o.sessions, o.log)], o.log, { listenOnTopic: false });
  const periodic = new PeriodicRunner(o.log);
  const recheck = async () => {
    const closed = await o.sessions.recheck(
      async (token) => (await o.consoleauth.check_token(adminContext(), { token })) !== null, Math.floor(Date.now() / 1000));
    if (closed) o.log.info(`${o.name}: closed ${closed} console session(s) whose tokens were revoked`);
    return closed;
  };
  return {
    name: o.name,
    sessions: o.sessions,
    get url() { return o.server.url; },
    get port() { return o.server.port; },
    recheckSessions: recheck,
    async start() {
      await o.server.start();
      await rpc.start();
      const certificate = o.certificate;
      periodic.start([
        { name: `${o.name}_recheck_sessions`, spacing: o.recheckInterval, run: async () => { await recheck(); } },
        ...(certificate ? [{ name: `${o.name}_renew_certificate`, spacing: CERT_CHECK_SPACING, run: async () => {
          // A failed renewal keeps the current certificate and is tried again at the next check.
          const renewed = await certificate.renewIfDue().catch((e: Error) => { o.log.error(e.message); return null; });
          if (renewed) o.server.updateTls(renewed);
        } }] : []),
      ]);
    },
    async stop() {
      await periodic.stop();
      await rpc.stop();
      await o.server.stop();
    },
  };
}
