import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { configuredQuotaDefaults } from '../compute/quota_resources';
import { FixedIpObj, fixedIpGetByAddress, fixedIpGetById, instancesBrief } from '../db/api/fixed_ips';
import {
  floatingIpAllocate, floatingIpAssociate, floatingIpCountInPool, floatingIpDeallocate, floatingIpDisassociate, floatingIpGetByAddress,
  floatingIpGetById, FloatingIpObj, floatingIpPoolNames, floatingIpsBulkCreate, floatingIpsByProject, floatingIpsWhere,
} from '../db/api/floating_ips';
import { networkGetById } from '../db/api/networks';
import { quotaLimits, quotaRelease, quotaReserve } from '../db/api/quotas';
import { Forbidden } from '../exception';
import { Logger } from '../lib/log';
import { ownerHost } from './allocation';
import {
  CannotDisassociateAutoAssignedFloatingIP, FixedIpNotFoundForAddress, FloatingIpAssociated, FloatingIpLimitExceeded, FloatingIpNotAssociated,
  FloatingIpNotFound, FloatingIpNotFoundForAddress, FloatingIpPoolNotFound, NoMoreFloatingIps,
} from './errors';
import { HostRefresher } from './host_refresh';
import * as ip from './ipv4';
import { ManagerKind } from './managers';

/** A floating IP with what it points at (for os-floating-ips views). */
export interface FloatingIpDetail extends FloatingIpObj { fixed_address: string | null; instance_uuid: string | null }

/**
 * Floating IPs (Nova's nova/network/floating_ips.py): pools, allocation to projects within the
 * floating_ips quota, association with a guest's fixed IP (DNAT/SNAT on the host serving it).
 */
export class FloatingOps {
  constructor(private conf: NovaConf, readonly kind: ManagerKind, private refresher: HostRefresher, private log: Logger) {}

  private get quotaOn(): boolean { return this.conf.quota.driver !== 'nova.quota.NoopQuotaDriver'; }

  /** Fills the default pool from floating_range when the pool has no address yet. */
  async seedDefaultPool(): Promise<number> {
    const d = this.conf.DEFAULT;
    if (!this.kind.floating || !d.floating_range) return 0;
    const range = ip.parseCidr(d.floating_range);
    if (!range) throw new Error(`[DEFAULT] floating_range '${d.floating_range}' is not an IPv4 CIDR`);
    if (await floatingIpCountInPool(d.default_floating_pool)) return 0;
    const all = ip.addresses(range);
    const usable = range.size > 2 ? all.slice(1, -1) : all;
    const taken = new Set((await floatingIpsWhere({ address: usable })).map((f) => f.address));
    const rows = usable.filter((a) => !taken.has(a)).map((address) => ({ address, pool: d.default_floating_pool, interface: d.public_interface }));
    await floatingIpsBulkCreate(rows).catch((e) => this.log.debug(`seeding pool ${d.default_floating_pool}: ${e.message} (made by another service)`));
    this.log.info(`floating IP pool ${d.default_floating_pool}: ${rows.length} address(es) from ${d.floating_range}`);
    return rows.length;
  }

  async pools(): Promise<string[]> {
    return this.kind.floating ? floatingIpPoolNames() : [];
  }

  private owned(ctx: RequestContext, f: FloatingIpObj): void {
    if (!ctx.is_admin && f.project_id !== ctx.project_id) throw new Forbidden();
  }

  async detail(f: FloatingIpObj): Promise<FloatingIpDetail> {
    const fixed = f.fixed_ip_id ? await fixedIpGetById(f.fixed_ip_id) : null;
    return { ...f, fixed_address: fixed?.address ?? null, instance_uuid: fixed?.instance_uuid ?? null };
  }

  async get(ctx: RequestContext, id: number): Promise<FloatingIpDetail> {
    const f = await floatingIpGetById(id);
    if (!f || (!ctx.is_admin && f.project_id !== ctx.project_id)) throw new FloatingIpNotFound({ id });
    return this.detail(f);
  }

  async getByAddress(ctx: RequestContext, address: string): Promise<FloatingIpDetail> {
    const f = await floatingIpGetByAddress(address);
    if (!f) throw new FloatingIpNotFoundForAddress({ address });
    return this.detail(f);
  }

  async listForProject(projectId: string): Promise<FloatingIpDetail[]> {
    return Promise.all((await floatingIpsByProject(projectId)).map((f) => this.detail(f)));
  }

  /** Floating addresses pointed at these fixed addresses. */
  async forFixed(fixed: FixedIpObj[]): Promise<FloatingIpObj[]> {
    return fixed.length ? floatingIpsWhere({ fixed_ip_id: fixed.map((f) => f.id) }) : [];
  }

  async allocate(ctx: RequestContext, projectId: string, pool: string | null, autoAssigned = false): Promise<FloatingIpObj> {
    const name = pool || this.conf.DEFAULT.default_floating_pool;
    if (!(await this.pools()).includes(name)) throw new FloatingIpPoolNotFound();
    const useQuota = this.quotaOn && !autoAssigned;
    if (useQuota && await quotaReserve(projectId, { floating_ips: 1 }, await quotaLimits(projectId, configuredQuotaDefaults(this.conf)))) {
      throw new FloatingIpLimitExceeded();
    }
    const f = await floatingIpAllocate(projectId, name, autoAssigned);
    if (!f) {
      if (useQuota) await quotaRelease(projectId, { floating_ips: 1 });
      throw new NoMoreFloatingIps();
    }
    this.log.info(`floating IP ${f.address} allocated to project ${projectId} from pool ${name}`);
    return f;
  }

  /** Gives an address back to its pool, first disassociating it (os-floating-ips DELETE). */
  async release(ctx: RequestContext, f: FloatingIpObj): Promise<void> {
    this.owned(ctx, f);
    if (f.fixed_ip_id) {
      if (f.auto_assigned) throw new CannotDisassociateAutoAssignedFloatingIP();
      await this.disassociate(ctx, f.address);
    }
    if (await floatingIpDeallocate(f.address)) {
      if (this.quotaOn && !f.auto_assigned && f.project_id) await quotaRelease(f.project_id, { floating_ips: 1 });
      this.log.info(`floating IP ${f.address} released to pool ${f.pool}`);
    }
  }

  /** Points a floating address at a fixed one; the host serving the fixed one forwards it. */
  async associate(ctx: RequestContext, floatingAddress: string, fixedAddress: string): Promise<void> {
    const f = await floatingIpGetByAddress(floatingAddress);
    if (!f) throw new FloatingIpNotFoundForAddress({ address: floatingAddress });
    this.owned(ctx, f);
    const fixed = await fixedIpGetByAddress(fixedAddress);
    if (!fixed || !fixed.instance_uuid) throw new FixedIpNotFoundForAddress({ address: fixedAddress });
    if (f.fixed_ip_id === fixed.id) return;
    if (f.fixed_ip_id) await this.disassociate(ctx, floatingAddress);
    const net = await networkGetById(fixed.network_id);
    const inst = (await instancesBrief([fixed.instance_uuid])).get(fixed.instance_uuid);
    const host = net ? ownerHost(net, inst?.host ?? null) : null;
    if (!(await floatingIpAssociate(floatingAddress, fixed.id, host))) throw new FloatingIpAssociated({ address: floatingAddress });
    try {
      await this.refresher.refresh(ctx, [host], `association of ${floatingAddress} with ${fixedAddress}`);
    } catch (e) {
      // The host could not forward it: leave the address unassociated rather than half-working.
      await floatingIpDisassociate(floatingAddress);
      await this.refresher.refresh(ctx, [host], `rollback of ${floatingAddress}`).catch(() => undefined);
      throw e;
    }
    this.log.info(`floating IP ${floatingAddress} associated with ${fixedAddress} on ${host ?? 'no host'}`);
  }

  async disassociate(ctx: RequestContext, address: string, affectAutoAssigned = false): Promise<void> {
    const f = await floatingIpGetByAddress(address);
    if (!f) throw new FloatingIpNotFoundForAddress({ address });
    if (!affectAutoAssigned && f.auto_assigned) throw new CannotDisassociateAutoAssignedFloatingIP();
    this.owned(ctx, f);
    if (!f.fixed_ip_id) throw new FloatingIpNotAssociated({ address });
    await floatingIpDisassociate(address);
    await this.refresher.refresh(ctx, [f.host], `disassociation of ${address}`);
    this.log.info(`floating IP ${address} disassociated`);
  }
}
