import { RequestContext } from '../context';
import { ConsoleConnection, LiveMigrationTarget, MigrationTarget } from '../drivers/driver';
import { MigrationObj } from '../db/api/migrations';
import { FlavorCopy } from '../db/models/instance';
import { Instance } from '../objects/instance';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';
import { BuildRequest } from './build';

export const COMPUTE_TOPIC = 'compute';

export type RebootType = 'SOFT' | 'HARD';

/** The compute service's contract: mostly casts to the instance's host, calls where an answer is needed. */
export interface ComputeMethods {
  build_and_run_instance(ctx: RequestContext, a: { instance: Instance; request: BuildRequest; node: string; compute_node_id: number; alternates: Array<{ host: string; nodename: string; compute_node_id: number }> }): Promise<void>;
  terminate_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  reboot_instance(ctx: RequestContext, a: { instance: Instance; reboot_type: RebootType }): Promise<void>;
  stop_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  start_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  pause_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  unpause_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  suspend_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  resume_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  rescue_instance(ctx: RequestContext, a: { instance: Instance; rescue_password: string | null; rescue_image_ref: string | null }): Promise<void>;
  unrescue_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  /** Re-creates the guest from `image_ref` (already saved on the instance by the API). */
  rebuild_instance(ctx: RequestContext, a: { instance: Instance; image_ref: string; admin_password: string | null; preserve_ephemeral: boolean; orig_vm_state: string }): Promise<void>;
  /** Uploads a snapshot into `image_id`, an image the API created queued. */
  snapshot_instance(ctx: RequestContext, a: { instance: Instance; image_id: string }): Promise<void>;
  /** Resize/migrate, destination side: accept the move (the scheduler claimed here), then ask the source to send. */
  prep_resize(ctx: RequestContext, a: { instance: Instance; new_flavor: FlavorCopy; migration: MigrationObj }): Promise<void>;
  /** Source side: power off and move the disks to the destination, reached as `dest` says (the destination driver's migrationTarget()). */
  resize_instance(ctx: RequestContext, a: { instance: Instance; new_flavor: FlavorCopy; migration: MigrationObj; dest?: Omit<MigrationTarget, 'dest_host'> }): Promise<void>;
  /** Destination side: build the guest from the moved disks; the instance waits in VERIFY_RESIZE. */
  finish_resize(ctx: RequestContext, a: { instance: Instance; migration: MigrationObj; migration_info: Record<string, unknown> }): Promise<void>;
  /** Source side, after the user confirms (or deletes): remove the old guest and give back the source claim. */
  confirm_resize(ctx: RequestContext, a: { instance: Instance; migration: MigrationObj }): Promise<void>;
  /** Destination side, revert: remove the new guest and its claim, then the source restores the old one. */
  revert_resize(ctx: RequestContext, a: { instance: Instance; migration: MigrationObj }): Promise<void>;
  finish_revert_resize(ctx: RequestContext, a: { instance: Instance; migration: MigrationObj }): Promise<void>;
  /** Live migration, destination side (a call): can it take the guest, and how the source reaches it. */
  check_can_live_migrate_destination(ctx: RequestContext, a: { instance: Instance; block_migration: boolean | 'auto' }): Promise<LiveMigrationTarget>;
  /** Source side: moves the running guest to `dest` (what the destination's check answered). */
  live_migration(ctx: RequestContext, a: { instance: Instance; migration: MigrationObj; dest: LiveMigrationTarget; block_migration: boolean | 'auto' }): Promise<void>;
  /** Destination side (a call), before the move: the disks a block migration copies into. */
  pre_live_migration(ctx: RequestContext, a: { instance: Instance; block_migration: boolean; dest: LiveMigrationTarget }): Promise<void>;
  /** Destination side (a call), after the move: the instance is this host's now. */
  post_live_migration_at_destination(ctx: RequestContext, a: { instance: Instance; migration: MigrationObj }): Promise<void>;
  /** Destination side (a call), after a failure: what pre_live_migration made goes. */
  rollback_live_migration_at_destination(ctx: RequestContext, a: { instance: Instance; block_migration: boolean }): Promise<void>;
  /** Snapshot into `image_id`, power off; offload at once when `offload`. */
  shelve_instance(ctx: RequestContext, a: { instance: Instance; image_id: string; offload: boolean }): Promise<void>;
  shelve_offload_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  /** Power on (still here) or spawn from the shelved image (placed here by the conductor, which claimed). */
  unshelve_instance(ctx: RequestContext, a: { instance: Instance; node: string; compute_node_id: number }): Promise<void>;
  get_console_output(ctx: RequestContext, a: { instance: Instance; tail_length?: number | null }): Promise<string>;
  get_vnc_console(ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection>;
  get_spice_console(ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection>;
  get_serial_console(ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection>;
  get_diagnostics(ctx: RequestContext, a: { instance: Instance }): Promise<Record<string, unknown>>;
  get_host_uptime(ctx: RequestContext, a: Record<string, never>): Promise<string>;
  trigger_crash_dump(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
}

const CALLS = new Set(['get_console_output', 'get_vnc_console', 'get_spice_console', 'get_serial_console', 'get_diagnostics', 'get_host_uptime',
  'check_can_live_migrate_destination', 'pre_live_migration', 'post_live_migration_at_destination', 'rollback_live_migration_at_destination']);

/**
 * The typed client. Every message goes to one host's queue: the instance's host, or `host` given
 * explicitly for the destination of a move.
 */
export class ComputeAPIClient {
  private client: RpcClient;
  constructor(transport: Transport, timeoutMs: number) {
    this.client = new RpcClient(transport, { topic: COMPUTE_TOPIC }, { version: '6.0', timeoutMs });
  }

  /** A sender bound to `host`: `to(host).pause_instance(ctx, {instance})`. */
  to(host: string): ComputeMethods {
    const c = this.client.prepare({ server: host });
    return new Proxy({} as ComputeMethods, {
      // Not a method: `then` (so the sender may be awaited or returned from an async function) and symbols.
      get: (_t, method: string | symbol) => (typeof method !== 'string' || method === 'then' ? undefined
        : (ctx: RequestContext, a: object) => (CALLS.has(method) ? c.call(ctx, method, a) : c.cast(ctx, method, a))),
    });
  }
}
