import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as hypervisors from './hypervisors';
import * as imageMetadata from './image_metadata';
import * as images from './images';
import * as services from './services';
import * as servers from './servers';
import * as serverActions from './server_actions';
import * as serverMoveActions from './server_move_actions';
import * as serverMetadata from './server_metadata';
import * as serverTags from './server_tags';
import * as instanceActions from './instance_actions';
import * as ips from './ips';
import * as migrations from './migrations';
import * as flavors from './flavors';
import * as flavorExtraSpecs from './flavor_extra_specs';
import * as flavorAccess from './flavor_access';
import * as keypairs from './keypairs';
import * as quotaSets from './quota_sets';
import * as quotaClasses from './quota_classes';
import * as limits from './limits';
import * as simpleTenantUsage from './simple_tenant_usage';
import * as availabilityZones from './availability_zones';
import * as certificates from './certificates';
import * as remoteConsoles from './remote_consoles';
import * as networks from './networks';
import * as tenantNetworks from './tenant_networks';
import * as fixedIps from './fixed_ips';
import * as floatingIps from './floating_ips';
import * as securityGroups from './security_groups';
import * as serverPassword from './server_password';
import * as aggregates from './aggregates';
import * as serverGroups from './server_groups';
import * as schedulerDryRun from './scheduler_dry_run';

/** Every Compute API controller. Each module registers its routes and default policies. */
const CONTROLLERS: Array<{ register(r: ApiRouter, d: ControllerDeps): void }> = [
  services,
  hypervisors,
  servers,
  serverActions,
  serverMoveActions,
  serverMetadata,
  serverTags,
  instanceActions,
  ips,
  migrations,
  flavors,
  flavorExtraSpecs,
  flavorAccess,
  keypairs,
  quotaSets,
  quotaClasses,
  limits,
  simpleTenantUsage,
  availabilityZones,
  certificates,
  images,
  imageMetadata,
  remoteConsoles,
  networks,
  tenantNetworks,
  fixedIps,
  floatingIps,
  securityGroups,
  serverPassword,
  aggregates,
  serverGroups,
  schedulerDryRun,
];

export function buildRouter(d: ControllerDeps): ApiRouter {
  const r = new ApiRouter();
  for (const c of CONTROLLERS) c.register(r, d);
  return r;
}
