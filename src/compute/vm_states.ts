/** Nova's vm_state values (nova/compute/vm_states.py). */
export const VmState = {
  ACTIVE: 'active',
  BUILDING: 'building',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  STOPPED: 'stopped',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;
export type VmStateValue = (typeof VmState)[keyof typeof VmState];

/** Nova's task_state values (nova/compute/task_states.py). */
export const TaskState = {
  SCHEDULING: 'scheduling',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
  IMAGE_BACKUP: 'image_backup',
  UPDATING_PASSWORD: 'updating_password',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  REBOOTING: 'rebooting',
  REBOOT_PENDING: 'reboot_pending',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_PENDING_HARD: 'reboot_pending_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  RESCUING: 'rescuing',
  UNRESCUING: 'unrescuing',
  REBUILDING: 'rebuilding',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  REBUILD_SPAWNING: 'rebuild_spawning',
  MIGRATING: 'migrating',
  DELETING: 'deleting',
  SOFT_DELETING: 'soft-deleting',
  RESTORING: 'restoring',
  SHELVING: 'shelving',
  SHELVING_IMAGE_PENDING_UPLOAD: 'shelving_image_pending_upload',
  SHELVING_IMAGE_UPLOADING: 'shelving_image_uploading',
  SHELVING_OFFLOADING: 'shelving_offloading',
  UNSHELVING: 'unshelving',
} as const;
export type TaskStateValue = (typeof TaskState)[keyof typeof TaskState];

/** The API `status` of an instance, from vm_state and task_state (nova/api/openstack/common.py). */
export function statusFromState(vmState: string, taskState: string | null): string {
  const t = taskState ?? '';
  switch (vmState) {
    case VmState.ACTIVE:
      if (t.startsWith('rebooting') || t.startsWith('reboot_')) return t.endsWith('_hard') ? 'HARD_REBOOT' : 'REBOOT';
      if (t === TaskState.UPDATING_PASSWORD) return 'PASSWORD';
      if (t.startsWith('rebuild')) return 'REBUILD';
      if (t === TaskState.MIGRATING) return 'MIGRATING';
      if (t.startsWith('resize_')) return 'RESIZE';
      return 'ACTIVE';
    case VmState.BUILDING: return 'BUILD';
    case VmState.STOPPED:
      if (t.startsWith('resize_')) return 'RESIZE';
      if (t.startsWith('rebuild')) return 'REBUILD';
      if (t.startsWith('rebooting_hard') || t.startsWith('reboot_pending_hard') || t.startsWith('reboot_started_hard')) return 'HARD_REBOOT';
      return 'SHUTOFF';
    case VmState.RESIZED: return t === TaskState.RESIZE_REVERTING ? 'REVERT_RESIZE' : 'VERIFY_RESIZE';
    case VmState.PAUSED: return t.startsWith('rebooting_hard') ? 'HARD_REBOOT' : t.startsWith('migrating') ? 'MIGRATING' : 'PAUSED';
    case VmState.SUSPENDED: return t.startsWith('rebooting_hard') ? 'HARD_REBOOT' : 'SUSPENDED';
    case VmState.RESCUED: return 'RESCUE';
    case VmState.ERROR: return t.startsWith('rebuild') ? 'REBUILD' : 'ERROR';
    case VmState.DELETED: return 'DELETED';
    case VmState.SOFT_DELETED: return 'SOFT_DELETED';
    case VmState.SHELVED: return 'SHELVED';
    case VmState.SHELVED_OFFLOADED: return 'SHELVED_OFFLOADED';
    default: return 'UNKNOWN';
  }
}
