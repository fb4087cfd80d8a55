import * as path from 'node:path';
import { SecureContextOptions } from 'node:tls';
import { Runtime } from '../service/runtime';
import { loadProxyTls } from './listener';
import { ProxyCertificate, proxyCertNames } from './proxy_certificate';

export interface ProxyTls {
  /** What the proxy serves TLS with, or null for plain only. */
  tls: SecureContextOptions | null;
  /** Set with [console] ssl_from_cert_service: the daemon renews through it. */
  certificate: ProxyCertificate | null;
}

/**
 * The TLS setup of a console proxy daemon: a certificate from nova-cert when [console]
 * ssl_from_cert_service is set, else [DEFAULT] cert/key files as websockify takes them.
 */
export async function proxyTls(rt: Runtime, o: { daemon: string; listenHost: string; baseUrl: string }): Promise<ProxyTls> {
  const d = rt.conf.DEFAULT;
  if (!rt.conf.console.ssl_from_cert_service) return { tls: loadProxyTls(d), certificate: null };
  const log = rt.log.child(o.daemon);
  const certificate = new ProxyCertificate({
    daemon: o.daemon,
    file: path.join(path.resolve(d.state_path), 'console_tls', `${o.daemon}.pem`),
    names: proxyCertNames({ baseUrl: o.baseUrl, host: rt.host, myIp: d.my_ip, listenHost: o.listenHost }),
    cert: await rt.cert(),
    log,
  });
  const tls = await certificate.obtain();
  log.info(`${o.daemon}: serving TLS with the nova-cert certificate (valid until ${certificate.notAfter?.toISOString()}); [DEFAULT] cert/key are not read`);
  return { tls, certificate };
}
