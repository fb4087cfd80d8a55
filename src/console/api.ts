import { InstanceInvalidState, InstanceNotRunning } from '../exception';
import { ComputeAPIClient, ComputeMethods } from '../compute/rpcapi';
import { TaskState, VmState } from '../compute/vm_states';
import { NovaConf } from '../conf/schema';
import { ConsoleAuthMethods } from '../consoleauth/rpcapi';
import { RequestContext } from '../context';
import { ConsoleConnection } from '../drivers/driver';
import { Instance } from '../objects/instance';
import { CONSOLE_TYPES } from './access_url';
import { ConsoleNotSupported, ConsoleTypeInvalid, ConsoleTypeUnavailable, InstanceNotReady } from './errors';

/** vm_states in which a guest has no console server to reach. */
const NOT_RUNNING = new Set<string>([VmState.STOPPED, VmState.SUSPENDED, VmState.SHELVED, VmState.SHELVED_OFFLOADED, VmState.SOFT_DELETED, VmState.DELETED]);

export interface ConsoleDeps {
  conf: NovaConf;
  /** The compute RPC client (its `to(host)` is a proxy: never await it, it would be taken for a promise). */
  computeClient(): Promise<ComputeAPIClient>;
  consoleauth(): Promise<ConsoleAuthMethods>;
}

/**
 * The API side of remote consoles (Nova's compute/api.py get_*_console): checks the instance can have
 * a console, asks its compute host where the console server is, has consoleauth authorize a token for
 * it, and answers the URL the user opens.
 */
export class ConsoleAPI {
  constructor(private d: ConsoleDeps) {}

  async getConsole(ctx: RequestContext, inst: Instance, protocol: string, consoleType: string): Promise<{ url: string }> {
    // Nova's check_instance_host and reject_instance_state, before anything reaches compute.
    if (!inst.host || inst.vm_state === VmState.BUILDING) throw new InstanceNotReady({ instance_id: inst.uuid });
    if (inst.task_state === TaskState.DELETING || inst.task_state === TaskState.MIGRATING) {
      throw new InstanceInvalidState({ action: `get_${protocol}_console`, instance_uuid: inst.uuid, attr: 'task_state', state: inst.task_state });
    }
    if (NOT_RUNNING.has(inst.vm_state)) throw new InstanceNotRunning({ instance_id: inst.uuid });
    if (!CONSOLE_TYPES[protocol]?.includes(consoleType)) throw new ConsoleTypeInvalid({ console_type: consoleType });

    const { conf } = this.d;
    let base: string;
    let connection: (c: ComputeMethods) => Promise<ConsoleConnection>;
    const args = { instance: inst, console_type: consoleType };
    switch (protocol) {
      case 'vnc':
        base = consoleType === 'novnc' ? conf.vnc.novncproxy_base_url : conf.vnc.xvpvncproxy_base_url;
        connection = (c) => c.get_vnc_console(ctx, args);
        break;
      case 'spice':
        base = conf.spice.html5proxy_base_url;
        connection = (c) => c.get_spice_console(ctx, args);
        break;
      case 'serial':
        if (!conf.serial_console.enabled) throw new ConsoleTypeUnavailable({ console_type: consoleType });
        base = conf.serial_console.base_url;
        connection = (c) => c.get_serial_console(ctx, args);
        break;
      case 'rdp':
        throw new ConsoleNotSupported({}, 'RDP consoles are not supported: no compute driver of this deployment provides one.');
      default: // mks: VMware's WebMKS ([mks] enabled is off)
        throw new ConsoleTypeUnavailable({ console_type: consoleType });
    }

    const conn = await connection((await this.d.computeClient()).to(inst.host));
    const ca = await this.d.consoleauth();
    const auth = await ca.authorize_console(ctx, {
      console_type: consoleType, host: conn.host, port: conn.port, internal_access_path: conn.internal_access_path ?? null,
      instance_uuid: inst.uuid, access_url_base: base,
    });
    return { url: auth.access_url };
  }
}
