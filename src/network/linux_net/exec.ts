import { spawn } from 'node:child_process';
import { Logger } from '../../lib/log';
import { NetworkHostSetupFailed } from '../errors';

export interface CommandResult { code: number; stdout: string; stderr: string }

export interface RunOptions {
  /** Written to the command's standard input. */
  input?: string;
  /** Exit codes that are not failures (default: 0 only). */
  ok?: number[];
}

/**
 * Runs the host commands of nova-network (ip, iptables-save/restore, dnsmasq, dhcp_release, kill),
 * inside `[DEFAULT] network_namespace` when it is set. A failure names the command, its exit code
 * and what it printed.
 */
export class CommandRunner {
  constructor(readonly namespace: string, private log: Logger) {}

  argv(cmd: string, args: string[]): string[] {
    return this.namespace ? ['ip', 'netns', 'exec', this.namespace, cmd, ...args] : [cmd, ...args];
  }

  async run(cmd: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
    const [file, ...rest] = this.argv(cmd, args);
    const shown = [cmd, ...args].join(' ');
    this.log.debug(`running ${shown}${this.namespace ? ` in namespace ${this.namespace}` : ''}`);
    const result = await new Promise<CommandResult>((resolve, reject) => {
      const child = spawn(file, rest, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', (e) => reject(new NetworkHostSetupFailed({
        reason: `cannot run ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed (run scripts/ci/setup-network.sh)' : e.message}`,
      })));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? '');
    });
    if (!(opts.ok ?? [0]).includes(result.code)) {
      const where = this.namespace ? ` in network namespace ${this.namespace}` : '';
      throw new NetworkHostSetupFailed({ reason: `\`${shown}\`${where} exited with ${result.code}: ${(result.stderr || result.stdout).trim() || 'no output'}` });
    }
    return result;
  }

  /** True when the command runs and exits 0 (for probing: does this device exist?). */
  async succeeds(cmd: string, args: string[]): Promise<boolean> {
    try {
      return (await this.run(cmd, args, { ok: [0, 1, 2, 255] })).code === 0;
    } catch {
      return false;
    }
  }
}
