import { buildComputeApp } from '../api/app';
import { buildRouter } from '../api/compute';
import { ComputeAPI } from '../compute/api';
import { listen } from '../lib/http';
import { DaemonFactory } from './daemon';

/** nova-api: the Compute API v2.1 on osapi_compute_listen:osapi_compute_listen_port. */
export const create: DaemonFactory = async (rt) => {
  await rt.database();
  const log = rt.log.child('api');
  const compute = rt.shared('compute-api-layer', () => new ComputeAPI(rt, rt.conf, log));
  const router = buildRouter({ rt, conf: rt.conf, log, compute, images: () => rt.imageService() });
  const app = buildComputeApp({ log, policy: rt.policy(), auth: await rt.authProvider(), router });
  const d = rt.conf.DEFAULT;
  return {
    name: 'api',
    async start() {
      const { url } = await listen(app, d.osapi_compute_listen, d.osapi_compute_listen_port, d.my_ip);
      await rt.publishEndpoint('compute', `${url}/v2.1`);
      log.info(`Compute API listening on ${url}`);
    },
    async stop() { await app.close(); },
  };
};
