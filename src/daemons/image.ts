import * as path from 'node:path';
import { buildImageApp } from '../image/server/app';
import { FilesystemStore } from '../image/store';
import { listen } from '../lib/http';
import { DaemonFactory } from './daemon';

/**
 * The built-in Image service (Glance v2 subset) on [image_service] listen:port. Serves only when
 * [image_service] enabled and no real Glance is configured in [glance] api_servers.
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('image');
  const conf = rt.conf.image_service;
  if (!conf.enabled || rt.conf.glance.api_servers.length > 0) {
    const why = conf.enabled ? '[glance] api_servers points to another Image service' : '[image_service] enabled is false';
    return { name: 'image', async start() { log.info(`built-in Image service not started: ${why}`); }, async stop() {} };
  }
  await rt.database();
  const store = new FilesystemStore(path.resolve(rt.statePath, conf.filesystem_store_datadir));
  const app = buildImageApp({ auth: await rt.authProvider(), store, sizeCap: conf.image_size_cap, log });
  return {
    name: 'image',
    async start() {
      const { url } = await listen(app, conf.listen, conf.port, rt.conf.DEFAULT.my_ip);
      await rt.publishEndpoint('image', url);
      log.info(`Image API listening on ${url}, data in ${store.dir}`);
    },
    async stop() { await app.close(); },
  };
};
