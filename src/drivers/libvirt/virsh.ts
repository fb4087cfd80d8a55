import { PowerState, PowerStateValue } from '../../compute/power_state';
import { CommandFailed, HostExecutor, RunOptions } from './executor/types';

/**
 * libvirt said no. `message` is libvirt's own text (virsh's `error:` lines), which is what an
 * operator needs to see in the instance fault.
 */
export class LibvirtError extends Error {
  constructor(readonly operation: string, readonly libvirtMessage: string, where: string) {
    super(`libvirt ${operation} failed on ${where}: ${libvirtMessage}`);
    this.name = 'LibvirtError';
  }

  /** The domain is not defined (any more). */
  get noDomain(): boolean {
    return /failed to get domain|Domain not found|no domain with matching/i.test(this.libvirtMessage);
  }

  /** The domain is not running, where the operation needed it running. */
  get notRunning(): boolean {
    return /domain is not running|not running/i.test(this.libvirtMessage);
  }
}

/** A domain's state as `virsh domstate --reason` prints it: `running (booted)`, `shut off (saved)`. */
export interface DomainState {
  state: string;
  reason: string;
}

/** Nova's mapping of libvirt domain states to power states (nova/virt/libvirt/guest.py). */
const POWER_STATES: Record<string, PowerStateValue> = {
  'no state': PowerState.NOSTATE,
  running: PowerState.RUNNING,
  idle: PowerState.RUNNING, // VIR_DOMAIN_BLOCKED: running, waiting on a resource
  blocked: PowerState.RUNNING,
  paused: PowerState.PAUSED,
  'in shutdown': PowerState.SHUTDOWN,
  'shut off': PowerState.SHUTDOWN,
  crashed: PowerState.CRASHED,
  pmsuspended: PowerState.SUSPENDED,
};

/** Power state of a domain state; a shut-off domain with a managed save image is suspended. */
export function powerStateOf(s: DomainState): PowerStateValue {
  if (s.state === 'shut off' && s.reason === 'saved') return PowerState.SUSPENDED;
  return POWER_STATES[s.state] ?? PowerState.NOSTATE;
}

export function parseDomainState(text: string): DomainState {
  const m = /^\s*([a-z ]+?)\s*(?:\(([^)]*)\))?\s*$/m.exec(text);
  return { state: m?.[1] ?? 'no state', reason: m?.[2] ?? '' };
}

/** `Key: value` lines (dominfo, nodeinfo) as a map. */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export interface DomainInfo {
  id: string | null;
  uuid: string;
  state: string;
  vcpus: number;
  cpuTimeNs: number;
  maxMemKb: number;
  usedMemKb: number;
}

export function parseDomInfo(text: string): DomainInfo {
  const kv = parseKeyValues(text);
  const kib = (v?: string) => Number(/^(\d+)/.exec(v ?? '')?.[1] ?? 0);
  const cpuTime = /^([\d.]+)s/.exec(kv['CPU time'] ?? '');
  return {
    id: kv.Id && kv.Id !== '-' ? kv.Id : null,
    uuid: kv.UUID ?? '',
    state: kv.State ?? 'no state',
    vcpus: Number(kv['CPU(s)'] ?? 0),
    cpuTimeNs: cpuTime ? Math.round(Number(cpuTime[1]) * 1e9) : 0,
    maxMemKb: kib(kv['Max memory']),
    usedMemKb: kib(kv['Used memory']),
  };
}

/** libvirt's `error:` lines without the prefix, joined; the whole output when there are none. */
export function libvirtMessage(stderr: string, stdout = ''): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('error:')).map((l) => l.replace(/^error:\s*/, ''));
  return (errors.length ? errors : lines.length ? lines : [stdout.trim() || 'no message']).join(': ');
}

/** libvirt through `virsh -c <uri>` run on the hypervisor host by an executor. */
export class Virsh {
  constructor(private exec: HostExecutor, readonly uri: string) {}

  get where(): string { return this.exec.description === 'local' ? this.uri : `${this.uri} via ${this.exec.description}`; }

  /** Runs `virsh -c uri <args>`; libvirt's complaints become a LibvirtError. */
  async run(args: string[], opts?: RunOptions): Promise<string> {
    try {
      return (await this.exec.run('virsh', ['-q', '-c', this.uri, ...args], opts)).stdout;
    } catch (e) {
      if (e instanceof CommandFailed) throw new LibvirtError(args[0], libvirtMessage(e.stderr, e.stdout), this.where);
      throw e;
    }
  }

  /** null when no such domain. */
  async state(name: string): Promise<DomainState | null> {
    try {
      return parseDomainState(await this.run(['domstate', '--reason', name]));
    } catch (e) {
      if (e instanceof LibvirtError && e.noDomain) return null;
      throw e;
    }
  }

  async info(name: string): Promise<DomainInfo> { return parseDomInfo(await this.run(['dominfo', name])); }

  async listNames(): Promise<string[]> {
    return (await this.run(['list', '--all', '--name'])).split('\n').map((s) => s.trim()).filter(Boolean);
  }

  async listUuids(): Promise<string[]> {
    return (await this.run(['list', '--all', '--uuid'])).split('\n').map((s) => s.trim()).filter(Boolean);
  }

  async dumpXml(name: string, inactive = false): Promise<string> {
    return this.run(['dumpxml', ...(inactive ? ['--inactive'] : []), name]);
  }

  /** Defines (or redefines) a domain from an XML file on the hypervisor host. */
  async define(xmlPath: string): Promise<void> { await this.run(['define', xmlPath]); }
  async start(name: string): Promise<void> { await this.run(['start', name]); }
  async destroy(name: string): Promise<void> { await this.run(['destroy', name]); }
  async shutdown(name: string): Promise<void> { await this.run(['shutdown', name]); }
  async suspend(name: string): Promise<void> { await this.run(['suspend', name]); }
  async resume(name: string): Promise<void> { await this.run(['resume', name]); }
  async managedSave(name: string): Promise<void> { await this.run(['managedsave', name]); }
  async injectNmi(name: string): Promise<void> { await this.run(['inject-nmi', name]); }

  /** Undefines with what libvirt keeps beside the definition: managed save image, NVRAM, snapshots' metadata. */
  async undefine(name: string): Promise<void> {
    await this.run(['undefine', '--managed-save', '--snapshots-metadata', '--nvram', name]);
  }

  /** `vnc://127.0.0.1:0` or `spice://127.0.0.1:5901`: where a graphical console listens. */
  async display(name: string, type: 'vnc' | 'spice'): Promise<{ host: string; port: number }> {
    const url = (await this.run(['domdisplay', '--type', type, name])).trim();
    const m = /^(vnc|spice):\/\/([^:/]*|\[[^\]]*\]):(\d+)/.exec(url);
    if (!m) throw new LibvirtError('domdisplay', `domain ${name} has no ${type} console${url ? ` (got '${url}')` : ''}`, this.where);
    const port = Number(m[3]);
    // virsh shows VNC as a display number (5900 + n), SPICE as a port.
    return { host: m[2].replace(/^\[(.*)\]$/, '$1'), port: type === 'vnc' && port < 5900 ? 5900 + port : port };
  }

  async capabilities(): Promise<string> { return this.run(['capabilities']); }
  async nodeInfo(): Promise<Record<string, string>> { return parseKeyValues(await this.run(['nodeinfo'])); }
  async hostname(): Promise<string> { return (await this.run(['hostname'])).trim(); }

  /** `virsh version --daemon` as a map: `Running hypervisor` is `QEMU 7.2.22`. */
  async version(): Promise<Record<string, string>> { return parseKeyValues(await this.run(['version', '--daemon'])); }
}
