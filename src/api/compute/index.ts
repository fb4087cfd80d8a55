import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as hypervisors from './hypervisors';
import * as imageMetadata from './image_metadata';
import * as images from './images';
import * as services from './services';

/** Every Compute API controller. Each module registers its routes and default policies. */
const CONTROLLERS: Array<{ register(r: ApiRouter, d: ControllerDeps): void }> = [
  services,
  hypervisors,
  images,
  imageMetadata,
];

export function buildRouter(d: ControllerDeps): ApiRouter {
  const r = new ApiRouter();
  for (const c of CONTROLLERS) c.register(r, d);
  return r;
}
