import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as hypervisors from './hypervisors';
import * as services from './services';
import * as certificates from './certificates';

/** Every Compute API controller. Each module registers its routes and default policies. */
const CONTROLLERS: Array<{ register(r: ApiRouter, d: ControllerDeps): void }> = [
  services,
  hypervisors,
  certificates,
];

export function buildRouter(d: ControllerDeps): ApiRouter {
  const r = new ApiRouter();
  for (const c of CONTROLLERS) c.register(r, d);
  return r;
}
