import { consoleProxyDaemon } from '../console/proxy_daemon';
import { proxyTls } from '../console/proxy_tls';
import { SessionRegistry } from '../console/sessions';
import { novncWebClient } from '../console/web_clients';
import { WebsocketConsoleProxy } from '../console/websocket_proxy';
import { DaemonFactory } from './daemon';

/** nova-novncproxy: the noVNC web client and its websocket relay to guests' VNC servers, [vnc] novncproxy_host:novncproxy_port. */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('novncproxy');
  const { DEFAULT: d, vnc } = rt.conf;
  const sessions = new SessionRegistry();
  const consoleauth = await rt.consoleauth();
  const { tls, certificate } = await proxyTls(rt, { daemon: 'novncproxy', listenHost: vnc.novncproxy_host, baseUrl: vnc.novncproxy_base_url });
  const server = new WebsocketConsoleProxy({
    name: 'novncproxy', host: vnc.novncproxy_host, port: vnc.novncproxy_port, advertise: d.my_ip, tls, sslOnly: d.ssl_only,
    consoleauth, consoleTypes: ['novnc'], allowedOrigins: rt.conf.console.allowed_origins, websocketPaths: ['/', '/websockify'],
    web: novncWebClient(), sessions, log,
  });
  return consoleProxyDaemon({
    name: 'novncproxy', server, sessions, consoleauth, transport: await rt.transport(), host: rt.host, recheckInterval: d.periodic_interval, log, certificate,
  });
};
