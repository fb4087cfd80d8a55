import * as os from 'node:os';
import { SshTarget } from './executor/ssh';

/** Where libvirt is: the URI virsh uses on the hypervisor host, and the SSH hop to that host if any. */
export interface HypervisorAddress {
  /** The URI as configured (or derived), for messages and for other hosts to reach this one. */
  uri: string;
  /** What `virsh -c` gets, run on the hypervisor host itself. */
  libvirtUri: string;
  ssh: SshTarget | null;
  /** `keyfile`, `known_hosts` and `no_verify` from the URI's query, as libvirt's own client reads them. */
  params: { keyfile?: string; known_hosts?: string; no_verify?: boolean };
}

export class InvalidConnectionUri extends Error {
  constructor(uri: string, why: string) {
    super(`[libvirt] connection_uri '${uri}' cannot be used: ${why}`);
    this.name = 'InvalidConnectionUri';
  }
}

const SSH_TRANSPORTS = new Set(['ssh', 'libssh2', 'libssh']);
const KNOWN_PARAMS = new Set(['keyfile', 'known_hosts', 'no_verify']);

/**
 * Parses a libvirt connection URI in Nova's style: `qemu:///system` (this host) or
 * `qemu+ssh://user@host:port/system` (another host over SSH; user defaults to the current one,
 * port to 22). `test:///default` (libvirt's built-in test driver) is accepted for tests.
 */
export function parseConnectionUri(uri: string): HypervisorAddress {
  const text = uri.trim() || 'qemu:///system';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidConnectionUri(text, 'not a URI (expected qemu:///system or qemu+ssh://user@host:port/system)');
  }
  const [driver, transport] = url.protocol.replace(/:$/, '').split('+', 2);
  if (!['qemu', 'test'].includes(driver)) throw new InvalidConnectionUri(text, `driver '${driver}' is not supported (use qemu)`);
  const params: HypervisorAddress['params'] = {};
  for (const [k, v] of url.searchParams) {
    if (!KNOWN_PARAMS.has(k)) throw new InvalidConnectionUri(text, `parameter '${k}' is not supported (known: ${[...KNOWN_PARAMS].join(', ')})`);
    if (k === 'no_verify') params.no_verify = v === '1';
    else params[k as 'keyfile' | 'known_hosts'] = v;
  }
  const path = url.pathname || '/system';
  const libvirtUri = `${driver}://${path}`;
  if (!transport) {
    if (url.hostname) throw new InvalidConnectionUri(text, 'a host needs a transport: use qemu+ssh://user@host/system');
    return { uri: text, libvirtUri, ssh: null, params };
  }
  if (!SSH_TRANSPORTS.has(transport)) {
    throw new InvalidConnectionUri(text, `transport '${transport}' is not supported: use qemu+ssh://user@host:port/system`);
  }
  if (!url.hostname) throw new InvalidConnectionUri(text, 'qemu+ssh needs a host: qemu+ssh://user@host:port/system');
  const port = url.port ? Number(url.port) : 22;
  const username = decodeURIComponent(url.username) || os.userInfo().username;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { uri: text, libvirtUri, ssh: { host, port, username }, params };
}

/** Whether two addresses reach the same hypervisor (same SSH target and libvirt URI, or both local). */
export function sameHypervisor(a: HypervisorAddress, b: HypervisorAddress): boolean {
  if (a.libvirtUri !== b.libvirtUri) return false;
  if (!a.ssh || !b.ssh) return !a.ssh && !b.ssh;
  return a.ssh.host === b.ssh.host && a.ssh.port === b.ssh.port && a.ssh.username === b.ssh.username;
}
