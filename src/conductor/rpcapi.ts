import { RequestContext } from '../context';
import { NodeReport, ComputeNodeObj } from '../db/api/compute_nodes';
import { Instance, InstanceUpdate } from '../objects/instance';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';
import { ServiceRecord } from '../service/service';
import { BuildRequest } from '../compute/build';
import { FlavorCopy } from '../db/models/instance';
import { MigrationObj } from '../db/api/migrations';

export const CONDUCTOR_TOPIC = 'conductor';

/** The conductor's database proxy: the only way compute hosts read or write the database. */
export interface ConductorMethods {
  service_register(ctx: RequestContext, a: { host: string; binary: string; topic: string | null }): Promise<ServiceRecord>;
  service_heartbeat(ctx: RequestContext, a: { service_id: number }): Promise<void>;
  compute_node_update(ctx: RequestContext, a: { report: NodeReport }): Promise<ComputeNodeObj>;
  instance_get(ctx: RequestContext, a: { uuid: string; read_deleted?: 'no' | 'yes' }): Promise<Instance>;
  instance_get_all_by_host(ctx: RequestContext, a: { host: string }): Promise<Instance[]>;
  /** Compare-and-swap update: fails with UnexpectedTaskStateError unless task_state is one of `expected_task_state`. */
  instance_update(ctx: RequestContext, a: { uuid: string; updates: InstanceUpdate; expected_task_state?: Array<string | null>; expected_vm_state?: string[] }): Promise<Instance>;
  /** Soft-deletes the instance and releases its claims and quota usage. */
  instance_destroy(ctx: RequestContext, a: { uuid: string }): Promise<void>;
  instance_fault_create(ctx: RequestContext, a: { uuid: string; code: number; message: string; details?: string; host?: string }): Promise<void>;
  action_event_start(ctx: RequestContext, a: { uuid: string; request_id: string; event: string; host: string }): Promise<void>;
  action_event_finish(ctx: RequestContext, a: { uuid: string; request_id: string; event: string; result: 'Success' | 'Error'; traceback?: string; details?: string }): Promise<void>;
  /** Releases a consumer's allocations on one node (or all nodes). */
  allocations_remove(ctx: RequestContext, a: { consumer_id: string; compute_node_id?: number }): Promise<void>;
  /** Hosts where a service of `binary` is up (compute asks whether nova-network runs before allocating). */
  service_hosts_up(ctx: RequestContext, a: { binary: string; service_down_time?: number }): Promise<string[]>;
  /** Hands a consumer's allocations to another (instance <-> migration during a resize). */
  allocations_move(ctx: RequestContext, a: { from: string; to: string; compute_node_id?: number }): Promise<void>;
  migration_get(ctx: RequestContext, a: { id: number }): Promise<MigrationObj>;
  /** Compare-and-swap on status when `expected_status` is given. */
  migration_update(ctx: RequestContext, a: { id: number; values: Partial<MigrationObj>; expected_status?: string[] }): Promise<MigrationObj>;
  /**
   * Undoes a resize or migration that failed before the guest moved: the source claim goes back to
   * the instance, the destination claim and the quota for the bigger flavor are released, the
   * migration is set to error and the instance keeps its vm_state with a fault.
   */
  migration_rollback(ctx: RequestContext, a: { migration_id: number; instance_uuid: string; reason: string; host?: string }): Promise<void>;
}

/** What a cold move needs beyond the instance: the target flavor and where it may (not) go. */
export interface MigrateRequest {
  instance: Instance;
  flavor: FlavorCopy;
  migration_type: 'resize' | 'migration';
  ignore_hosts: string[];
  requested_destination?: { host: string; node?: string } | null;
}

/** A live migration: to `host`, or where the scheduler picks; `block_migration` 'auto' lets the hosts decide. */
export interface LiveMigrateRequest {
  instance: Instance;
  host: string | null;
  block_migration: boolean | 'auto';
}

/** Orchestration: the conductor's compute_task namespace. */
export interface ComputeTaskMethods {
  build_instances(ctx: RequestContext, a: { request: BuildRequest }): Promise<void>;
  /** Cold resize or migration: schedule (and claim) a destination, then start the move there. */
  migrate_server(ctx: RequestContext, a: MigrateRequest): Promise<void>;
  /** Live migration: schedule (and claim) a destination, check it, then the source moves the guest. */
  live_migrate_instance(ctx: RequestContext, a: LiveMigrateRequest): Promise<void>;
  /** Unshelve: power on where it is (shelved), or schedule and spawn anew (shelved offloaded). */
  unshelve_instance(ctx: RequestContext, a: { instance: Instance; availability_zone?: string | null; host?: string }): Promise<void>;
}

export interface ConductorAPI extends ConductorMethods, ComputeTaskMethods {}

/** Creates the typed client: every method of the contract becomes one RPC call (or cast). */
export function conductorRpcApi(transport: Transport, timeoutMs: number): ConductorAPI {
  const db = new RpcClient(transport, { topic: CONDUCTOR_TOPIC }, { version: '3.0', timeoutMs });
  const task = new RpcClient(transport, { topic: CONDUCTOR_TOPIC }, { version: '1.0', namespace: 'compute_task', timeoutMs });
  const call = <R>(method: string) => (ctx: RequestContext, a: object) => db.call<R>(ctx, method, a);
  return {
    service_register: call('service_register'),
    service_heartbeat: call('service_heartbeat'),
    compute_node_update: call('compute_node_update'),
    instance_get: call('instance_get'),
    instance_get_all_by_host: call('instance_get_all_by_host'),
    instance_update: call('instance_update'),
    instance_destroy: call('instance_destroy'),
    instance_fault_create: call('instance_fault_create'),
    action_event_start: call('action_event_start'),
    action_event_finish: call('action_event_finish'),
    allocations_remove: call('allocations_remove'),
    service_hosts_up: call('service_hosts_up'),
    allocations_move: call('allocations_move'),
    migration_get: call('migration_get'),
    migration_update: call('migration_update'),
    migration_rollback: call('migration_rollback'),
    build_instances: (ctx, a) => task.cast(ctx, 'build_instances', a),
    migrate_server: (ctx, a) => task.cast(ctx, 'migrate_server', a),
    unshelve_instance: (ctx, a) => task.cast(ctx, 'unshelve_instance', a),
    live_migrate_instance: (ctx, a) => task.cast(ctx, 'live_migrate_instance', a),
  };
}
