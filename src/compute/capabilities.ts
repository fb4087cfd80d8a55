import { computeNodeGetAll } from '../db/api/compute_nodes';
import type { Capability } from '../drivers/capability_names';
import { ComputeDriver, DriverCapabilities } from '../drivers/driver';
import { VirtDriverNotImplemented } from '../exception';

export type { Capability };

/**
 * Keys under compute_nodes.stats where nova-compute reports its driver (Nova reports driver
 * capabilities as COMPUTE_* traits to placement; here they ride with the node's other stats).
 */
export const DRIVER_STAT = 'compute_driver';
export const CAPABILITIES_STAT = 'driver_capabilities';

/** What a compute host reports of its driver on every resource update. */
export function driverStats(driver: Pick<ComputeDriver, 'name' | 'capabilities'>): Record<string, unknown> {
  return { [DRIVER_STAT]: driver.name, [CAPABILITIES_STAT]: { ...driver.capabilities } };
}

/** The place an instance runs: its host and hypervisor node. */
export type Placed = { uuid: string; host: string | null; node: string | null };

/**
 * Refuses, before anything is changed or sent, an action the instance's node reported its driver
 * cannot do: Nova's VirtDriverNotImplemented, 501 on the API. A node that never reported its
 * capabilities (a row from before they were reported) is let through: the compute manager checks too.
 */
export async function requireCapability(inst: Placed, capability: Capability, action: string): Promise<void> {
  if (!inst.host) return;
  const where: Record<string, unknown> = { host: inst.host };
  if (inst.node) where.hypervisor_hostname = inst.node;
  for (const node of await computeNodeGetAll(where)) {
    const caps = node.stats?.[CAPABILITIES_STAT] as Partial<DriverCapabilities> | undefined;
    if (caps && caps[capability] === false) {
      throw new VirtDriverNotImplemented({ action, driver: String(node.stats[DRIVER_STAT] ?? node.hypervisor_type) });
    }
  }
}
