import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import * as db from '../db/api/aggregates';
import { AggregateObj } from '../db/api/aggregates';
import { serviceGetAll } from '../db/api/services';
import {
  AggregateHostExists, AggregateHostNotFound, AggregateNameExists, AggregateNotFound, ComputeHostNotFound,
  InvalidAggregateAction, InvalidAggregateActionAdd,
} from '../exception';

const AZ_KEY = 'availability_zone';

/**
 * Host aggregates (Nova's AggregateAPI): named groups of compute hosts with metadata. The
 * `availability_zone` key makes the aggregate an availability zone; a host is in at most one zone.
 */
export class AggregateAPI {
  constructor(private conf: NovaConf) {}

  list(_ctx: RequestContext): Promise<AggregateObj[]> { return db.aggregateGetAll(); }

  async get(_ctx: RequestContext, id: string): Promise<AggregateObj> {
    const agg = await db.aggregateFind(id);
    if (!agg) throw new AggregateNotFound({ aggregate_id: id });
    return agg;
  }

  async create(ctx: RequestContext, name: string, zone: string | null | undefined): Promise<AggregateObj> {
    if (zone !== undefined && zone !== null) this.checkZoneName('create', "'N/A'", zone);
    if (await db.aggregateNameTaken(name)) throw new AggregateNameExists({ aggregate_name: name });
    return db.aggregateCreate(name, zone ? { [AZ_KEY]: zone } : {});
  }

  async update(ctx: RequestContext, id: string, changes: { name?: string; availability_zone?: string | null }): Promise<AggregateObj> {
    const agg = await this.get(ctx, id);
    if (changes.name !== undefined && changes.name !== agg.name && await db.aggregateNameTaken(changes.name, agg.id)) {
      throw new AggregateNameExists({ aggregate_name: changes.name });
    }
    if (changes.availability_zone !== undefined) await this.checkZoneChange('update', agg, changes.availability_zone);
    if (changes.name !== undefined) await db.aggregateRename(agg.id, changes.name);
    if (changes.availability_zone !== undefined) await db.aggregateMetadataUpdate(agg.id, { [AZ_KEY]: changes.availability_zone });
    return this.get(ctx, String(agg.id));
  }

  /** Keys given as null are removed. */
  async setMetadata(ctx: RequestContext, id: string, metadata: Record<string, string | null>): Promise<AggregateObj> {
    const agg = await this.get(ctx, id);
    if (AZ_KEY in metadata) await this.checkZoneChange('update metadata of', agg, metadata[AZ_KEY]);
    await db.aggregateMetadataUpdate(agg.id, metadata);
    return this.get(ctx, String(agg.id));
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const agg = await this.get(ctx, id);
    if (agg.hosts.length > 0) {
      throw new InvalidAggregateAction({ action: 'delete', aggregate_id: agg.id, reason: 'Host aggregate is not empty' });
    }
    await db.aggregateDestroy(agg.id);
  }

  async addHost(ctx: RequestContext, id: string, host: string): Promise<AggregateObj> {
    const agg = await this.get(ctx, id);
    if ((await serviceGetAll({ binary: 'nova-compute', host })).length === 0) throw new ComputeHostNotFound({ host });
    if (agg.hosts.includes(host)) throw new AggregateHostExists({ aggregate_id: agg.id, host });
    const zone = agg.metadata[AZ_KEY];
    if (zone) {
      const other = (await db.aggregatesByHost()).get(host)?.map((a) => a.metadata[AZ_KEY]).find((z) => z && z !== zone);
      if (other) throw new InvalidAggregateActionAdd({ aggregate_id: agg.id, reason: `One or more hosts already in availability zone(s) ['${other}']` });
    }
    await db.aggregateHostAdd(agg.id, host);
    return this.get(ctx, String(agg.id));
  }

  async removeHost(ctx: RequestContext, id: string, host: string): Promise<AggregateObj> {
    const agg = await this.get(ctx, id);
    if ((await serviceGetAll({ binary: 'nova-compute', host })).length === 0) throw new ComputeHostNotFound({ host });
    if (!(await db.aggregateHostRemove(agg.id, host))) throw new AggregateHostNotFound({ aggregate_id: agg.id, host });
    return this.get(ctx, String(agg.id));
  }

  private checkZoneName(action: string, aggregateId: string | number, zone: string | null): void {
    if (zone === null) return;
    if (zone === '') throw new InvalidAggregateAction({ action, aggregate_id: aggregateId, reason: 'Aggregates do not support an empty named availability zone' });
    if (zone === this.conf.DEFAULT.internal_service_availability_zone) {
      throw new InvalidAggregateAction({ action, aggregate_id: aggregateId, reason: `The availability zone cannot be the internal zone '${zone}'` });
    }
  }

  /** A zone may change only if none of the aggregate's hosts is in another zone through another aggregate. */
  private async checkZoneChange(action: string, agg: AggregateObj, zone: string | null): Promise<void> {
    this.checkZoneName(action, agg.id, zone);
    if (!zone || agg.hosts.length === 0) return;
    const byHost = await db.aggregatesByHost();
    const others = new Set<string>();
    for (const h of agg.hosts) {
      for (const a of byHost.get(h) ?? []) if (a.id !== agg.id && a.metadata[AZ_KEY] && a.metadata[AZ_KEY] !== zone) others.add(a.metadata[AZ_KEY]);
    }
    if (others.size > 0) {
      throw new InvalidAggregateAction({ action, aggregate_id: agg.id, reason: `One or more hosts already in availability zone(s) ${JSON.stringify([...others])}` });
    }
  }
}
