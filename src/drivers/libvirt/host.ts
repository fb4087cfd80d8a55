import { Logger } from '../../lib/log';
import { LibvirtSettings } from './config';
import { LocalExecutor } from './executor/local';
import { SshExecutor } from './executor/ssh';
import { HostExecutor } from './executor/types';
import { ImageCache } from './image_cache';
import { InstanceFiles } from './instance_files';
import { QemuImg } from './qemu_img';
import { SerialPorts } from './serial_ports';
import { DomainState, LibvirtError, Virsh } from './virsh';
import { VifPlugger } from './vifs';
import { DriverInstance } from '../driver';
import { HypervisorAddress } from './uri';


/** An executor for a hypervisor address: local, or SSH with this driver's key and known_hosts. */
export function executorFor(address: HypervisorAddress, settings: LibvirtSettings, log: Logger): HostExecutor {
  return address.ssh ? new SshExecutor(address.ssh, settings.sshOptions, log.child('ssh')) : new LocalExecutor();
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The hypervisor host as the driver sees it: its executor, libvirt, qemu-img, image cache and
 * settings, with the small domain helpers every operation shares.
 */
export class LibvirtHost {
  readonly virsh: Virsh;
  readonly qemuImg: QemuImg;
  readonly cache: ImageCache;
  readonly serialPorts: SerialPorts;
  readonly vifs: VifPlugger;

  constructor(readonly exec: HostExecutor, readonly settings: LibvirtSettings, readonly log: Logger) {
    this.serialPorts = new SerialPorts({ exec, instancesPath: settings.instancesPath, settings: settings.serial, local: !settings.address.ssh });
    this.vifs = new VifPlugger(exec, settings.vifNamespace, log.child('vifs'));
    this.virsh = new Virsh(exec, settings.address.libvirtUri);
    this.qemuImg = new QemuImg(exec);
    this.cache = new ImageCache(exec, this.qemuImg, settings.baseDir, settings.forceRawImages, log.child('imagecache'));
  }

  files(uuid: string): InstanceFiles { return new InstanceFiles(this.settings.instancesPath, uuid); }

  /** Polls the domain state until `done` holds; returns the last state seen (null: no domain). */
  async waitFor(name: string, done: (s: DomainState | null) => boolean, timeoutMs: number): Promise<{ ok: boolean; state: DomainState | null }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.virsh.state(name);
      if (done(state)) return { ok: true, state };
      if (Date.now() >= until) return { ok: false, state };
      await sleep(POLL_MS);
    }
  }

  /** Stops the domain at once if it runs or is paused; no domain or already off is fine. */
  async forceOff(name: string): Promise<void> {
    const s = await this.virsh.state(name);
    if (!s || s.state === 'shut off') return;
    try {
      await this.virsh.destroy(name);
    } catch (e) {
      if (!(e instanceof LibvirtError && (e.noDomain || e.notRunning))) throw e;
    }
  }

  /** Stops and undefines the domain (with its managed save image); nothing there is fine. */
  async removeDomain(name: string): Promise<void> {
    await this.forceOff(name);
    try {
      await this.virsh.undefine(name);
    } catch (e) {
      if (!(e instanceof LibvirtError && e.noDomain)) throw e;
    }
  }

  /** Writes the XML beside the disks (as Nova does) and defines the domain from it. */
  async define(files: InstanceFiles, xml: string): Promise<void> {
    await this.exec.writeFile(files.domainXml, xml);
    this.serialPorts.written(xml);
    await this.virsh.define(files.domainXml);
  }

  /** Boots the defined domain fresh (discarding any managed save), checks it runs and plugs its NICs. */
  async bootFresh(instance: Pick<DriverInstance, 'name' | 'uuid' | 'network_info'>, mark: (phase: string) => void = () => undefined): Promise<void> {
    await this.virsh.run(['start', '--force-boot', instance.name]);
    mark('domain started');
    await this.started(instance, 'start');
    mark('domain seen running, NICs plugged');
  }

  /** After `op` started the domain: checks it runs and plugs its NICs where libvirt cannot (vifs.ts). */
  async started(instance: Pick<DriverInstance, 'name' | 'uuid' | 'network_info'>, op: string): Promise<void> {
    await this.expectRunning(instance.name, op);
    await this.vifs.plug(instance);
  }

  async expectRunning(name: string, op: string): Promise<void> {
    const { ok, state } = await this.waitFor(name, (s) => s?.state === 'running', 30_000);
    if (!ok) {
      throw new LibvirtError(op, `domain ${name} is ${state ? `${state.state}${state.reason ? ` (${state.reason})` : ''}` : 'gone'} instead of running`, this.virsh.where);
    }
  }
}
