import { opt } from '../opt';

/** [xenserver]: the xenapi.XenAPIDriver's XAPI connection, with Nova's option names. */
export const xenserver = {
  connection_url: opt.str('', 'URL of the XAPI host or pool master (http://host or https://host).'),
  connection_username: opt.str('root', 'User name for the XAPI login.'),
  connection_password: opt.str('', 'Password for the XAPI login.', { secret: true }),
  login_timeout: opt.int(10, 'Seconds to wait for the XAPI login.', { min: 1 }),
  connection_concurrent: opt.int(5, 'XAPI calls in flight at once.', { min: 1 }),
  sr_matching_filter: opt.str('default-sr:true', 'Which storage repository holds instance disks: default-sr:true (the pool default) or other-config:KEY=VALUE.'),
  default_os_type: opt.str('linux', 'os_type of images that set none.'),
  running_timeout: opt.int(60, 'Seconds to wait for an instance to reach a power state.', { min: 1 }),
  console_public_hostname: opt.str('', 'Host name shown for consoles (empty: the one in the console location).'),
  independent_compute: opt.bool(false, 'Compute runs apart from the XAPI host (no local file system access to dom0).'),
};
