import { GroupSpec, GroupValues } from './opt';
import { DEFAULT } from './groups/default';
import { database } from './groups/database';
import { api, oslo_policy, wsgi } from './groups/api';
import { keystone_authtoken, identity, glance, image_service } from './groups/identity';
import { quota, scheduler, filter_scheduler, fake_driver, upgrade_levels, oslo_messaging_amqp } from './groups/compute';
import { crypto } from './groups/crypto';
import { vmware } from './groups/vmware';
import { xenserver } from './groups/xenserver';
import { vnc, spice, consoleauth, serial_console, consoleGroup } from './groups/consoles';
import { libvirt } from './groups/libvirt';
import { networkDefaults } from './groups/network';
import { neutron } from './groups/neutron';

/** Every option group this project knows. A group or option not here is refused at load time. */
export const SCHEMA = {
  DEFAULT: { ...DEFAULT, ...networkDefaults }, database, api, oslo_policy, wsgi, keystone_authtoken, identity, glance, image_service,
  quota, scheduler, filter_scheduler, fake_driver, upgrade_levels, oslo_messaging_amqp,
  crypto,
  vmware, xenserver,
  vnc, spice, consoleauth, serial_console, console: consoleGroup,
  libvirt,
  neutron,
} satisfies Record<string, GroupSpec>;

export type Schema = typeof SCHEMA;
export type NovaConf = { [G in keyof Schema]: GroupValues<Schema[G]> };


