import { InstanceFlavors } from '../db/models/instance';
import { NetworkInfo } from '../drivers/driver';

/** An instance as services pass it to each other: plain JSON, dates as ISO strings. */
export interface Instance {
  id: number;
  uuid: string;
  display_name: string;
  display_description: string | null;
  hostname: string | null;
  project_id: string;
  user_id: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  host: string | null;
  node: string | null;
  launched_on: string | null;
  flavor: InstanceFlavors;
  instance_type_id: number | null;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  image_ref: string;
  kernel_id: string | null;
  ramdisk_id: string | null;
  key_name: string | null;
  key_data: string | null;
  user_data: string | null;
  availability_zone: string | null;
  reservation_id: string;
  launch_index: number;
  config_drive: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  locked: boolean;
  locked_by: string | null;
  progress: number;
  root_device_name: string | null;
  os_type: string | null;
  architecture: string | null;
  vm_mode: string | null;
  auto_disk_config: boolean;
  network_info: NetworkInfo;
  image_meta: Record<string, unknown>;
  launched_at: string | null;
  terminated_at: string | null;
  scheduled_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
  created_at: string;
  updated_at: string;
  metadata: Record<string, string>;
  system_metadata: Record<string, string>;
  tags: string[];
}

/** Columns a service may change on an instance. */
export type InstanceUpdate = Partial<Omit<Instance, 'id' | 'uuid' | 'created_at' | 'updated_at' | 'deleted' | 'metadata' | 'tags' | 'system_metadata'>> & {
  /** Keys to set in system_metadata (null deletes the key). */
  system_metadata?: Record<string, string | null>;
};

/** Nova's instance name on the hypervisor, from `instance_name_template` and the instance id. */
export function instanceName(template: string, inst: Pick<Instance, 'id' | 'uuid'>): string {
  if (template.includes('%(uuid)s')) return template.replace('%(uuid)s', inst.uuid);
  return template.replace(/%0?(\d*)([xd])/, (_m, width: string, kind: string) => {
    const s = kind === 'x' ? inst.id.toString(16) : String(inst.id);
    return width ? s.padStart(Number(width), '0') : s;
  });
}
