import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as hypervisors from './hypervisors';
import * as services from './services';
import * as servers from './servers';
import * as serverActions from './server_actions';
import * as serverMoveActions from './server_move_actions';
import * as serverMetadata from './server_metadata';
import * as serverTags from './server_tags';
import * as instanceActions from './instance_actions';
import * as ips from './ips';
import * as migrations from './migrations';

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
];

export function buildRouter(d: ControllerDeps): ApiRouter {
  const r = new ApiRouter();
  for (const c of CONTROLLERS) c.register(r, d);
  return r;
}
