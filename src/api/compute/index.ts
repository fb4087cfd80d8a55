import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as hypervisors from './hypervisors';
import * as imageMetadata from './image_metadata';
import * as images from './images';
import * as services from './services';
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
import * as serverPassword from './server_password';

/** Every Compute API controller. Each module registers its routes and default policies. */
const CONTROLLERS: Array<{ register(r: ApiRouter, d: ControllerDeps): void }> = [
  services,
  hypervisors,
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
  serverPassword,
];

export function buildRouter(d: ControllerDeps): ApiRouter {
  const r = new ApiRouter();
  for (const c of CONTROLLERS) c.register(r, d);
  return r;
}
