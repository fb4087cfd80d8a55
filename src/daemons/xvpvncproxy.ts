import { consoleProxyDaemon } from '../console/proxy_daemon';
import { proxyTls } from '../console/proxy_tls';
import { SessionRegistry } from '../console/sessions';
import { XvpVncProxy } from '../console/xvp_proxy';
import { DaemonFactory } from './daemon';

/** nova-xvpvncproxy: VNC for the OpenStack Java viewer (XVP's CONNECT handshake), [vnc] xvpvncproxy_host:xvpvncproxy_port. */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('xvpvncproxy');
  const { DEFAULT: d, vnc } = rt.conf;
  const sessions = new SessionRegistry();
  const consoleauth = await rt.consoleauth();
  const { tls, certificate } = await proxyTls(rt, { daemon: 'xvpvncproxy', listenHost: vnc.xvpvncproxy_host, baseUrl: vnc.xvpvncproxy_base_url });
  const server = new XvpVncProxy({
    host: vnc.xvpvncproxy_host, port: vnc.xvpvncproxy_port, advertise: d.my_ip, tls, sslOnly: d.ssl_only, consoleauth, sessions, log,
  });
  return consoleProxyDaemon({
    name: 'xvpvncproxy', server, sessions, consoleauth, transport: await rt.transport(), host: rt.host, recheckInterval: d.periodic_interval, log, certificate,
  });
};
