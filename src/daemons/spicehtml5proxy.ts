import { consoleProxyDaemon } from '../console/proxy_daemon';
import { proxyTls } from '../console/proxy_tls';
import { SessionRegistry } from '../console/sessions';
import { spiceWebClient } from '../console/web_clients';
import { WebsocketConsoleProxy } from '../console/websocket_proxy';
import { DaemonFactory } from './daemon';

/** nova-spicehtml5proxy: the spice-html5 client ([DEFAULT] web) and its websocket relay to guests' SPICE servers. */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('spicehtml5proxy');
  const { DEFAULT: d, spice } = rt.conf;
  const sessions = new SessionRegistry();
  const consoleauth = await rt.consoleauth();
  const { tls, certificate } = await proxyTls(rt, { daemon: 'spicehtml5proxy', listenHost: spice.html5proxy_host, baseUrl: spice.html5proxy_base_url });
  const web = spiceWebClient(d.web);
  if (web.missingHint) log.warn(web.missingHint);
  const server = new WebsocketConsoleProxy({
    name: 'spicehtml5proxy', host: spice.html5proxy_host, port: spice.html5proxy_port, advertise: d.my_ip, tls, sslOnly: d.ssl_only,
    consoleauth, consoleTypes: ['spice-html5'], allowedOrigins: rt.conf.console.allowed_origins, websocketPaths: ['/', '/websockify'],
    web, sessions, log,
  });
  return consoleProxyDaemon({
    name: 'spicehtml5proxy', server, sessions, consoleauth, transport: await rt.transport(), host: rt.host, recheckInterval: d.periodic_interval, log, certificate,
  });
};
