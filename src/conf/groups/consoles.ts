import { opt } from '../opt';

// Remote consoles (Nova 18: nova/conf/{vnc,spice,consoleauth,serial_console,console,novnc}.py).
// This file owns the whole [vnc] and [spice] groups, the compute-side options included, so that the
// libvirt driver and the proxies read one declaration.

export const vnc = {
  enabled: opt.bool(true, 'Enable VNC consoles: compute hosts give guests a VNC server and the API hands out VNC console URLs.'),
  server_listen: opt.str('127.0.0.1', 'Address on which the VNC servers of the guests of a compute host listen.', { deprecatedNames: ['vncserver_listen'] }),
  server_proxyclient_address: opt.str('127.0.0.1', 'Address of a compute host that the console proxies connect to for its guests\' VNC servers.',
    { deprecatedNames: ['vncserver_proxyclient_address'] }),
  novncproxy_host: opt.str('0.0.0.0', 'Address nova-novncproxy listens on.'),
  novncproxy_port: opt.int(6080, 'Port nova-novncproxy listens on (0 picks a free port).', { min: 0, max: 65535 }),
  novncproxy_base_url: opt.str('http://127.0.0.1:6080/vnc_lite.html',
    'Public URL of the noVNC page the API hands out, completed with the console token (noVNC 1.x: vnc_lite.html; vnc_auto.html is served too).'),
  xvpvncproxy_host: opt.str('0.0.0.0', 'Address nova-xvpvncproxy listens on.'),
  xvpvncproxy_port: opt.int(6081, 'Port nova-xvpvncproxy listens on (0 picks a free port).', { min: 0, max: 65535 }),
  xvpvncproxy_base_url: opt.str('http://127.0.0.1:6081/console', 'Public URL of the XVP VNC proxy the API hands out, completed with ?token=.'),
};

export const spice = {
  enabled: opt.bool(false, 'Enable SPICE consoles: compute hosts give guests a SPICE server and the API hands out SPICE console URLs.'),
  agent_enabled: opt.bool(true, 'Enable the SPICE guest agent channel on guests.'),
  server_listen: opt.str('127.0.0.1', 'Address on which the SPICE servers of the guests of a compute host listen.'),
  server_proxyclient_address: opt.str('127.0.0.1', 'Address of a compute host that nova-spicehtml5proxy connects to for its guests\' SPICE servers.'),
  html5proxy_host: opt.str('0.0.0.0', 'Address nova-spicehtml5proxy listens on.'),
  html5proxy_port: opt.int(6082, 'Port nova-spicehtml5proxy listens on (0 picks a free port).', { min: 0, max: 65535 }),
  html5proxy_base_url: opt.str('http://127.0.0.1:6082/spice_auto.html', 'Public URL of the spice-html5 page the API hands out, completed with ?token=.'),
};

export const consoleauth = {
  token_ttl: opt.int(600, 'Seconds a console token stays valid for opening a console (an open console is not cut at expiry).',
    { min: 0 }),
};

export const serial_console = {
  enabled: opt.bool(false, 'Enable serial consoles: compute hosts give guests a TCP serial port (from port_range) and the API hands out nova-serialproxy URLs.'),
  port_range: opt.str('10000:20000', 'Range of TCP ports (min:max) guests\' serial consoles may use on a compute host.'),
  base_url: opt.str('ws://127.0.0.1:6083/', 'Public URL of the serial console proxy, completed with ?token=.'),
  proxyclient_address: opt.str('127.0.0.1', 'Address of a compute host that the serial console proxy connects to.'),
  serialproxy_host: opt.str('0.0.0.0', 'Address the serial console proxy listens on.'),
  serialproxy_port: opt.int(6083, 'Port the serial console proxy listens on.', { min: 0, max: 65535 }),
};

/** Nova's [console] group (exported under another name: `console` would shadow the global). */
export const consoleGroup = {
  allowed_origins: opt.list([], 'Host names, besides the proxy\'s own, that a browser may open a console websocket from (the Origin header check).'),
  ssl_from_cert_service: opt.bool(false, 'Console proxies serve TLS with a certificate nova-cert signs with the cloud\'s root CA (asked for over RPC, '
    + 'cached as $state_path/console_tls/<proxy>.pem mode 0600, renewed 30 days before expiry) instead of [DEFAULT] cert/key. The certificate names '
    + 'the host of the proxy\'s base_url, [DEFAULT] host, my_ip and the listen address; clients trust `nova x509-get-root-cert`.'),
};

/** [DEFAULT] options of the websocket and XVP proxies (nova/conf/novnc.py), spread into DEFAULT (groups/default.ts). */
export const consoleProxyDefaults = {
  ssl_only: opt.bool(false, 'Console proxies refuse connections that are not TLS (needs cert).'),
  cert: opt.str('self.pem', 'PEM certificate (and key, unless key is set) the console proxies offer to TLS clients; TLS is offered when the file exists.'),
  key: opt.str('', 'PEM private key of cert, when it is not in the cert file.'),
  web: opt.str('/usr/share/spice-html5', 'Directory of the web client nova-spicehtml5proxy serves (Debian package spice-html5). nova-novncproxy serves the bundled noVNC.'),
};
