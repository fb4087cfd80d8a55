/**
 * The capabilities a compute driver declares (Nova's ComputeDriver.capabilities), by name. Kept free
 * of imports so configuration can name them too.
 */
export const CAPABILITY_NAMES = [
  'has_imagecache', 'supports_evacuate', 'supports_migrate_to_same_host', 'supports_attach_interface',
  'supports_pause', 'supports_suspend', 'supports_rescue', 'supports_snapshot', 'supports_resize',
  'supports_live_migration', 'supports_console_output', 'supports_vnc_console', 'supports_spice_console',
  'supports_serial_console', 'supports_mks_console', 'supports_soft_reboot', 'supports_trigger_crash_dump',
] as const;

export type Capability = typeof CAPABILITY_NAMES[number];
