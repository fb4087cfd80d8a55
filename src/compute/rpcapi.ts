import { RequestContext } from '../context';
import { ConsoleConnection, ImageMeta } from '../drivers/driver';
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
  rescue_instance(ctx: RequestContext, a: { instance: Instance; rescue_password: string | null; rescue_image: ImageMeta }): Promise<void>;
  unrescue_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  rebuild_instance(ctx: RequestContext, a: { instance: Instance; image: ImageMeta; admin_password: string | null; preserve_ephemeral: boolean }): Promise<void>;
  snapshot_instance(ctx: RequestContext, a: { instance: Instance; image_id: string; backup?: { type: string; rotation: number } }): Promise<void>;
  /** Resize/migrate, destination side: claim and ask the source to send the disks. */
  prep_resize(ctx: RequestContext, a: { instance: Instance; new_flavor: FlavorCopy; compute_node_id: number; node: string; image: ImageMeta; request: BuildRequest }): Promise<void>;
  /** Source side: power off and move the disks to the destination. */
  resize_instance(ctx: RequestContext, a: { instance: Instance; new_flavor: FlavorCopy; dest_host: string; dest_node: string; dest_compute_node_id: number; image: ImageMeta }): Promise<void>;
  /** Destination side: build the guest from the moved disks. */
  finish_resize(ctx: RequestContext, a: { instance: Instance; migration_info: Record<string, unknown>; image: ImageMeta; source_host: string }): Promise<void>;
  /** Source side, after the user confirms: remove the old guest. */
  confirm_resize(ctx: RequestContext, a: { instance: Instance; source_host: string; source_node_id: number | null }): Promise<void>;
  /** Destination side, revert: remove the new guest, then the source restores the old one. */
  revert_resize(ctx: RequestContext, a: { instance: Instance; source_host: string }): Promise<void>;
  finish_revert_resize(ctx: RequestContext, a: { instance: Instance; dest_compute_node_id: number | null }): Promise<void>;
  shelve_instance(ctx: RequestContext, a: { instance: Instance; image_id: string | null; offload: boolean }): Promise<void>;
  shelve_offload_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
  unshelve_instance(ctx: RequestContext, a: { instance: Instance; image: ImageMeta | null; node: string; compute_node_id: number }): Promise<void>;
  get_console_output(ctx: RequestContext, a: { instance: Instance; tail_length?: number | null }): Promise<string>;
  get_vnc_console(ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection>;
  get_spice_console(ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection>;
  get_diagnostics(ctx: RequestContext, a: { instance: Instance }): Promise<Record<string, unknown>>;
  get_host_uptime(ctx: RequestContext, a: Record<string, never>): Promise<string>;
  trigger_crash_dump(ctx: RequestContext, a: { instance: Instance }): Promise<void>;
}

const CALLS = new Set(['get_console_output', 'get_vnc_console', 'get_spice_console', 'get_diagnostics', 'get_host_uptime']);

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
      get: (_t, method: string) => (ctx: RequestContext, a: object) => (CALLS.has(method) ? c.call(ctx, method, a) : c.cast(ctx, method, a)),
    });
  }
}
