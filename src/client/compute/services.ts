import { CommandError } from '../errors';
import { ComputeCaller, seg } from './caller';

/** A service as os-services shows it (id is an integer before 2.53, a UUID since). */
export interface Service {
  id: number | string;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  updated_at: string | null;
  disabled_reason: string | null;
  /** Since 2.11. */
  forced_down?: boolean;
}

/** The answer of the pre-2.53 enable/disable/force-down calls: only what changed. */
export type ServiceUpdate = Partial<Service> & { host: string; binary: string };

/** Which service to change: its UUID since 2.53, host and binary before. */
export type ServiceTarget = { id: string } | { host: string; binary: string };

export class ServicesApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(filter: { host?: string; binary?: string } = {}): Promise<Service[]> {
    return (await this.c.call<{ services: Service[] }>('GET', '/os-services', { query: filter })).body.services;
  }

  enable(target: ServiceTarget): Promise<ServiceUpdate> {
    return this.update(target, 'enable', { status: 'enabled' }, {});
  }

  /** Disables, recording `reason` when given (disable-log-reason before 2.53). */
  disable(target: ServiceTarget, reason?: string): Promise<ServiceUpdate> {
    return reason === undefined
      ? this.update(target, 'disable', { status: 'disabled' }, {})
      : this.update(target, 'disable-log-reason', { status: 'disabled', disabled_reason: reason }, { disabled_reason: reason });
  }

  /** Sets or clears forced_down (2.11 and later). */
  forceDown(target: ServiceTarget, forcedDown: boolean): Promise<ServiceUpdate> {
    if (!this.c.supports('2.11')) throw new CommandError('Forcing a service down requires API version 2.11 or later.');
    return this.update(target, 'force-down', { forced_down: forcedDown }, { forced_down: forcedDown });
  }

  async delete(id: string | number): Promise<void> {
    await this.c.call('DELETE', `/os-services/${seg(id)}`);
  }

  private async update(target: ServiceTarget, legacyAction: string, body: Record<string, unknown>, legacyExtra: Record<string, unknown>): Promise<ServiceUpdate> {
    if (this.c.supports('2.53')) {
      if (!('id' in target)) throw new CommandError('Since API version 2.53 a service is identified by its UUID.');
      return (await this.c.call<{ service: ServiceUpdate }>('PUT', `/os-services/${seg(target.id)}`, { body })).body.service;
    }
    if (!('host' in target)) throw new CommandError('Before API version 2.53 a service is identified by host and binary.');
    const legacy = { host: target.host, binary: target.binary, ...legacyExtra };
    return (await this.c.call<{ service: ServiceUpdate }>('PUT', `/os-services/${legacyAction}`, { body: legacy })).body.service;
  }
}
