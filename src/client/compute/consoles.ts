import { ComputeCaller, seg } from './caller';

export interface RemoteConsole {
  type: string;
  url: string;
  /** Only in the 2.6+ answer. */
  protocol?: string;
}

/** The os-get*Console actions of the legacy API, by protocol. */
const LEGACY_ACTION: Record<string, string> = {
  vnc: 'os-getVNCConsole', spice: 'os-getSPICEConsole', rdp: 'os-getRDPConsole', serial: 'os-getSerialConsole',
};

/** Remote consoles: `POST /servers/{id}/remote-consoles` from 2.6, the os-get*Console actions before (as novaclient). */
export class ConsolesApi {
  constructor(private readonly c: ComputeCaller) {}

  async get(serverId: string, protocol: 'vnc' | 'spice' | 'rdp' | 'serial', type: string): Promise<RemoteConsole> {
    if (this.c.supports('2.6')) {
      const body = { remote_console: { protocol, type } };
      return (await this.c.call<{ remote_console: RemoteConsole }>('POST', `/servers/${seg(serverId)}/remote-consoles`, { body })).body.remote_console;
    }
    const body = { [LEGACY_ACTION[protocol]]: { type } };
    return (await this.c.call<{ console: RemoteConsole }>('POST', `/servers/${seg(serverId)}/action`, { body })).body.console;
  }
}

/** `/servers/{id}/os-server-password`: the password the guest posted to the metadata service, encrypted with its key. */
export class ServerPasswordApi {
  constructor(private readonly c: ComputeCaller) {}

  /** The base64 ciphertext, '' when the guest posted none. */
  async get(serverId: string): Promise<string> {
    return (await this.c.call<{ password?: string }>('GET', `/servers/${seg(serverId)}/os-server-password`)).body?.password ?? '';
  }

  async clear(serverId: string): Promise<void> {
    await this.c.call('DELETE', `/servers/${seg(serverId)}/os-server-password`);
  }
}
