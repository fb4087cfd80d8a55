import { FlavorCopy } from '../db/models/instance';
import { ImageMeta } from '../drivers/driver';

/**
 * Everything the conductor and scheduler need to place and build a set of instances (Nova's
 * RequestSpec plus the build arguments), carried from the API to the compute host.
 */
export interface BuildRequest {
  instance_uuids: string[];
  project_id: string;
  user_id: string;
  flavor: FlavorCopy;
  image: ImageMeta;
  availability_zone: string | null;
  /** `host`/`node` forced by an admin (`--availability-zone az:host:node`). */
  force_hosts?: string[];
  force_nodes?: string[];
  scheduler_hints: Record<string, unknown>;
  instance_group?: { uuid: string; policy: string; rules?: Record<string, unknown>; members?: string[]; hosts?: string[] } | null;
  admin_password?: string | null;
  injected_files?: Array<[string, string]>;
  requested_networks?: Array<{ uuid?: string; fixed_ip?: string; port?: string }> | 'auto' | 'none' | null;
  security_groups?: string[];
  /** Hosts already tried, with why each failed, for rescheduling. */
  retry: { num_attempts: number; hosts: Array<[string, string]>; reasons?: string[] };
  /** Hosts never to choose (the source of a resize that must change host, Nova's ignore_hosts). */
  ignore_hosts?: string[];
  /** A destination asked for (cold migrate to a host, unshelve to a host): filters still run. */
  requested_destination?: { host: string; node?: string } | null;
  /** Set by the admin dry-run: decide, but claim nothing. */
  dry_run?: boolean;
}
