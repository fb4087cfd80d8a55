import { ApiError } from '../errors';
import { ComputeCaller } from './caller';

export interface AvailabilityZone {
  zoneName: string;
  zoneState: { available: boolean };
  /** Detail only: host -> service binary -> state. */
  hosts: Record<string, Record<string, { available: boolean; active: boolean; updated_at: string | null }>> | null;
}

/** `/os-availability-zone[/detail]`. */
export class AvailabilityZonesApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(detailed = true): Promise<AvailabilityZone[]> {
    const path = detailed ? '/os-availability-zone/detail' : '/os-availability-zone';
    return (await this.c.call<{ availabilityZoneInfo: AvailabilityZone[] }>('GET', path)).body.availabilityZoneInfo;
  }

  /** The detailed list when policy allows it (admins), else the plain one, as novaclient does. */
  async listBest(): Promise<AvailabilityZone[]> {
    try {
      return await this.list(true);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return this.list(false);
      throw e;
    }
  }
}
