import { consoleProxyDaemon } from '../console/proxy_daemon';
import { proxyTls } from '../console/proxy_tls';
import { SessionRegistry } from '../console/sessions';
import { WebsocketConsoleProxy } from '../console/websocket_proxy';
import { DaemonFactory } from './daemon';

/**
 * nova-serialproxy: relays websockets (`[serial_console] base_url?token=`) to the TCP serial ports of
 * guests, [serial_console] serialproxy_host:serialproxy_port. It serves no pages: clients such as
 * novaconsole speak the websocket themselves.
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('serialproxy');
  const { DEFAULT: d, serial_console: sc } = rt.conf;
  const sessions = new SessionRegistry();
  const consoleauth = await rt.consoleauth();
  const { tls, certificate } = await proxyTls(rt, { daemon: 'serialproxy', listenHost: sc.serialproxy_host, baseUrl: sc.base_url });
  const server = new WebsocketConsoleProxy({
    name: 'serialproxy', host: sc.serialproxy_host, port: sc.serialproxy_port, advertise: d.my_ip, tls, sslOnly: d.ssl_only,
    consoleauth, consoleTypes: ['serial'], allowedOrigins: rt.conf.console.allowed_origins, websocketPaths: ['/'], web: null, sessions, log,
  });
  return consoleProxyDaemon({
    name: 'serialproxy', server, sessions, consoleauth, transport: await rt.transport(), host: rt.host, recheckInterval: d.periodic_interval, log, certificate,
  });
};
