import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverInstance } from '../../../src/drivers/driver';
import { LibvirtDriver } from '../../../src/drivers/libvirt';
import { haveVirsh, testImageBuilt } from '../../helpers/libvirt';

export const MARKER = 'NOVA-TEST-GUEST-BOOTED';
export const ACPI_LINE = 'NOVA-TEST-GUEST-ACPI-POWERDOWN';

/** Why these tests cannot run here, or null. */
export function libvirtUnavailable(): string | null {
  if (!haveVirsh()) return 'virsh is not installed (run scripts/ci/setup-libvirt.sh)';
  if (!testImageBuilt()) return 'the test image is not built (run scripts/ci/setup-libvirt.sh)';
  try { execFileSync('virsh', ['-c', 'qemu:///system', 'version'], { stdio: 'ignore', timeout: 60000 }); } catch { return 'libvirtd does not answer on qemu:///system (run scripts/ci/setup-libvirt.sh)'; }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the guest's console shows `count` boot markers with its uuid; returns the console text. */
export async function waitForBoots(driver: LibvirtDriver, inst: DriverInstance, count: number, timeoutMs = 120_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let out = '';
  while (Date.now() < until) {
    out = await driver.getConsoleOutput(inst);
    if (countOf(out, `${MARKER} ${inst.uuid}`) >= count) return out;
    await sleep(500);
  }
  throw new Error(`guest ${inst.uuid} did not print its boot marker ${count} time(s) in ${timeoutMs / 1000}s; console:\n${out.slice(-3000)}`);
}

export function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Marker lines in order: 'B' for a boot, 'A' for an ACPI power-down. */
export function consoleStory(text: string): string {
  return text.split('\n').map((l) => (l.includes(MARKER) ? 'B' : l.includes(ACPI_LINE) ? 'A' : '')).join('');
}

export function virshAllNames(): string[] {
  return execFileSync('virsh', ['-q', '-c', 'qemu:///system', 'list', '--all', '--name'], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter(Boolean);
}

export function qemuImgInfo(file: string): { format: string; 'virtual-size': number; 'backing-filename'?: string } {
  return JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', file], { encoding: 'utf8' }));
}

/** The first bytes a TCP server sends (a VNC server greets with its RFB version). */
export function greeting(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    s.setTimeout(10000, () => { s.destroy(); reject(new Error(`no greeting from ${host}:${port}`)); });
    s.once('data', (b) => { s.destroy(); resolve(b.toString('latin1')); });
    s.once('error', reject);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface TestSshd {
  port: number;
  dir: string;
  clientKey: string;
  hostPublicKey: string;
  /** known_hosts text that trusts this sshd. */
  knownHosts: string;
  stop(): Promise<void>;
}

/**
 * An sshd of the test's own on 127.0.0.1 (free port, own host key, one authorized client key),
 * run in the foreground by this process and killed by stop(). With mountNamespaceOf, it runs in that
 * process's mount namespace (a second libvirtd's: there `qemu:///system` is that daemon). With
 * clientKey, that key (another sshd's) is the one authorized instead of a new one.
 */
export async function startSshd(opts: { mountNamespaceOf?: number; clientKey?: string } = {}): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-sshd-'));
  const port = await freePort();
  const hostKey = path.join(dir, 'host_ed25519');
  const clientKey = opts.clientKey ?? path.join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  if (!opts.clientKey) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  // sshd reads authorized_keys as the user logging in, who may not be root.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);
  fs.mkdirSync('/run/sshd', { recursive: true });
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
    'StrictModes no', `PidFile ${dir}/sshd.pid`, 'Subsystem sftp internal-sftp', 'MaxSessions 20', 'LogLevel ERROR', '',
  ].join('\n'));
  const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', config];
  // nsenter execs sshd (a mount namespace needs no fork), so the child is sshd itself.
  const argv = opts.mountNamespaceOf ? ['nsenter', '-t', String(opts.mountNamespaceOf), '-m', '--', ...sshd] : sshd;
  const child: ChildProcess = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b) => { stderr += b; });
  const until = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${stderr}`);
    const banner = await greeting(port).catch(() => '');
    if (banner.startsWith('SSH-2.0')) break;
    if (Date.now() > until) throw new Error(`sshd on port ${port} did not answer: ${stderr}`);
    await sleep(100);
  }
  const hostPublicKey = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return {
    port, dir, clientKey, hostPublicKey, knownHosts: `[127.0.0.1]:${port} ${hostPublicKey}\n`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

