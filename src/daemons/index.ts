import { DaemonFactory } from './daemon';

/**
 * Every daemon `nova daemon NAME` can start, loaded on demand. `all` starts ALL_IN_ONE in this order,
 * in one process (the embedded mode of `npm start`).
 */
export const DAEMONS: Record<string, { file: string; binary: string; help: string }> = {
  conductor: { file: './conductor', binary: 'nova-conductor', help: 'database proxy and build orchestration' },
  scheduler: { file: './scheduler', binary: 'nova-scheduler', help: 'host selection (filters and weighers)' },
  compute: { file: './compute', binary: 'nova-compute', help: 'runs guests through compute_driver' },
  api: { file: './api', binary: 'nova-api', help: 'Compute API v2.1, port 8774' },
  cert: { file: './cert', binary: 'nova-cert', help: 'X.509 certificate authority (os-certificates, EC2 bundles)' },
  identity: { file: './identity', binary: 'keystone', help: 'built-in Identity service (Keystone v3 subset), port 5000' },
  image: { file: './image', binary: 'glance-api', help: 'built-in Image service (Glance v2 subset), port 9292' },
  consoleauth: { file: './consoleauth', binary: 'nova-consoleauth', help: 'console token authorization (hashed in the database)' },
  novncproxy: { file: './novncproxy', binary: 'nova-novncproxy', help: 'noVNC web console and websocket proxy, port 6080' },
  spicehtml5proxy: { file: './spicehtml5proxy', binary: 'nova-spicehtml5proxy', help: 'SPICE HTML5 web console and websocket proxy, port 6082' },
  xvpvncproxy: { file: './xvpvncproxy', binary: 'nova-xvpvncproxy', help: 'VNC proxy for the XVP Java viewer, port 6081' },
  network: { file: './network', binary: 'nova-network', help: 'Flat, FlatDHCP and VLAN networking: fixed and floating IPs, security groups (root, iproute2, iptables, dnsmasq)' },
  'api-metadata': { file: './api_metadata', binary: 'nova-api-metadata', help: 'instance metadata service (EC2 and OpenStack formats), port 8775' },
  ec2: { file: './ec2', binary: 'nova-api-ec2', help: 'EC2 Query API (access keys from the built-in Identity), port 8773' },
  serialproxy: { file: './serialproxy', binary: 'nova-serialproxy', help: 'websocket proxy to guests\' serial consoles ([serial_console]), port 6083' },
};

/** The daemons of `nova daemon all`, in start order (names not in DAEMONS are not part of this build). */
export const ALL_IN_ONE = ['identity', 'image', 'conductor', 'scheduler', 'compute', 'network', 'api', 'api-metadata', 'ec2',
  'cert', 'consoleauth', 'novncproxy', 'spicehtml5proxy', 'xvpvncproxy', 'serialproxy'];

export function loadDaemon(name: string): DaemonFactory {
  const d = DAEMONS[name];
  if (!d) throw new Error(`unknown daemon '${name}' (known: ${Object.keys(DAEMONS).join(', ')}, all)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(d.file).create as DaemonFactory;
}
