import * as net from 'node:net';
import * as path from 'node:path';
import { HostExecutor } from './executor/types';
import { InstanceFiles } from './instance_files';

/** [serial_console] as the libvirt driver uses it. */
export interface SerialSettings {
  enabled: boolean;
  /** Where guests' serial ports listen, and where the proxy reaches them ([serial_console] proxyclient_address). */
  listen: string;
  portRange: { min: number; max: number };
}

/** `min:max` of [serial_console] port_range, checked. */
export function parsePortRange(text: string): { min: number; max: number } {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!m || min < 1 || max > 65535 || min > max) {
    throw new Error(`[serial_console] port_range '${text}' is not MIN:MAX with 1 <= MIN <= MAX <= 65535 (like 10000:20000)`);
  }
  return { min, max };
}

/** The TCP port of the first `<serial type='tcp'>` of a domain XML, or null. */
export function serialPortOf(xml: string): number | null {
  const block = /<serial type=['"]tcp['"]>([\s\S]*?)<\/serial>/.exec(xml)?.[1];
  const service = block && /<source\b[^>]*\bservice=['"](\d+)['"]/.exec(block)?.[1];
  return service ? Number(service) : null;
}

/**
 * The domain XML with its TCP serial console (the `<serial>` and the `<console>` that mirrors it)
 * listening on host:port: a live-migrated guest's QEMU on the destination binds there.
 */
export function withSerialPort(xml: string, host: string, port: number): string {
  return xml.replace(/<(serial|console) type=['"]tcp['"]>[\s\S]*?<\/\1>/g, (block) => block.replace(/<source\b[^>]*\/>/, (src) => src
    .replace(/\bhost=(['"])[^'"]*\1/, `host='${host}'`)
    .replace(/\bservice=(['"])\d+\1/, `service='${port}'`)));
}

/** Whether nothing on this host listens on host:port (a bind that succeeds, closed at once). */
function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/**
 * Picks the TCP port of a guest's serial console from [serial_console] port_range (Nova's
 * console/serial.py acquire_port): not in any domain XML under instances_path (running or not), not
 * promised to a guest being defined now and, when libvirt runs on this host, not bound by anyone.
 */
export class SerialPorts {
  private promised = new Set<number>();

  constructor(private o: { exec: HostExecutor; instancesPath: string; settings: SerialSettings; local: boolean }) {}

  /** The port for a guest about to be (re)defined: the one its XML already has, else a free one. Null when serial consoles are off. */
  async forGuest(files: InstanceFiles): Promise<number | null> {
    if (!this.o.settings.enabled) return null;
    const own = await this.readPort(files.domainXml);
    if (own !== null) return own;
    return this.acquire();
  }

  /** The XML is on disk now: its port no longer needs holding in memory. */
  written(xml: string): void {
    const port = serialPortOf(xml);
    if (port !== null) this.promised.delete(port);
  }

  /** A free port for a guest arriving by live migration (its XML comes with the source's port). Null when serial consoles are off. */
  async reserve(): Promise<number | null> {
    return this.o.settings.enabled ? this.acquire() : null;
  }

  /** A reserved port that no XML will hold (the migration failed). */
  release(port: number): void {
    this.promised.delete(port);
  }

  private async readPort(file: string): Promise<number | null> {
    const xml = await this.o.exec.readFile(file).catch(() => null);
    return xml ? serialPortOf(xml.toString('utf8')) : null;
  }

  private async acquire(): Promise<number> {
    const { min, max } = this.o.settings.portRange;
    const used = new Set(this.promised);
    for (const entry of await this.o.exec.listDir(this.o.instancesPath).catch(() => [] as string[])) {
      const port = await this.readPort(path.posix.join(this.o.instancesPath, entry, 'libvirt.xml'));
      if (port !== null) used.add(port);
    }
    for (let port = min; port <= max; port++) {
      if (used.has(port) || this.promised.has(port)) continue;
      if (this.o.local && !(await canBind(this.o.settings.listen, port))) continue;
      this.promised.add(port);
      return port;
    }
    throw new Error(`no free serial console port in [serial_console] port_range ${min}:${max} on this host: widen the range or free ports`);
  }
}
