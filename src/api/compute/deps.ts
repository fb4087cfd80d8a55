import { ComputeAPI } from '../../compute/api';
import { NovaConf } from '../../conf/schema';
import { ImageService } from '../../image/api';
import { Logger } from '../../lib/log';
import { Runtime } from '../../service/runtime';

/** What the Compute API controllers use: the service-layer APIs, never the queue or database directly. */
export interface ControllerDeps {
  rt: Runtime;
  conf: NovaConf;
  log: Logger;
  compute: ComputeAPI;
  images: () => Promise<ImageService>;
}
