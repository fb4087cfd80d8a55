import { buildMetadataApp } from '../api/metadata/app';
import { MetadataService } from '../api/metadata/service';
import { metadataSettings, requesterSettings } from '../api/metadata/settings';
import { checkVendorDataSettings } from '../api/metadata/vendor_data';
import { listen } from '../lib/http';
import { DaemonFactory } from './daemon';

/**
 * nova-api-metadata: instance metadata (EC2 and OpenStack formats) on metadata_listen:metadata_listen_port.
 * Guests reach it at 169.254.169.254:80 through a DNAT on their host (set up by the network service),
 * or through a metadata proxy that signs X-Instance-ID ([neutron] service_metadata_proxy).
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('metadata');
  const { conf } = rt;
  const requester = requesterSettings(conf);
  const settings = metadataSettings(conf);
  checkVendorDataSettings(settings.vendor);
  await rt.database();
  const service = new MetadataService({ settings, requester, log, cacheExpirationS: conf.api.metadata_cache_expiration });
  const app = buildMetadataApp(service, log);
  const d = conf.DEFAULT;
  return {
    name: 'api-metadata',
    async start() {
      const { url } = await listen(app, d.metadata_listen, d.metadata_listen_port, d.my_ip);
      await rt.publishEndpoint('metadata', url);
      log.info(`Metadata API listening on ${url}${requester.proxy ? ' (behind a metadata proxy)' : ''}`);
    },
    async stop() { await app.close(); },
  };
};
