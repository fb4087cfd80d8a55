import { buildMetadataApp } from '../api/metadata/app';
import { MetadataSettings } from '../api/metadata/instance_data';
import { MetadataService } from '../api/metadata/service';
import { checkVendorDataSettings } from '../api/metadata/vendor_data';
import { NovaConf } from '../conf/schema';
import { listen } from '../lib/http';
import { DaemonFactory } from './daemon';

export function metadataSettings(conf: NovaConf): MetadataSettings {
  const api = conf.api;
  return {
    dhcpDomain: api.dhcp_domain,
    defaultAvailabilityZone: conf.DEFAULT.default_availability_zone,
    vendor: {
      providers: api.vendordata_providers, jsonfilePath: api.vendordata_jsonfile_path, dynamicTargets: api.vendordata_dynamic_targets,
      sslCertfile: api.vendordata_dynamic_ssl_certfile, connectTimeoutS: api.vendordata_dynamic_connect_timeout,
      readTimeoutS: api.vendordata_dynamic_read_timeout, failureFatal: api.vendordata_dynamic_failure_fatal,
    },
  };
}

/**
 * nova-api-metadata: instance metadata (EC2 and OpenStack formats) on metadata_listen:metadata_listen_port.
 * Guests reach it at 169.254.169.254:80 through a DNAT on their host (set up by the network service),
 * or through a metadata proxy that signs X-Instance-ID ([neutron] service_metadata_proxy).
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('metadata');
  const { conf } = rt;
  if (conf.neutron.service_metadata_proxy && !conf.neutron.metadata_proxy_shared_secret) {
    throw new Error('[neutron] service_metadata_proxy is true but [neutron] metadata_proxy_shared_secret is empty: anyone could sign X-Instance-ID. Set the secret the metadata proxy uses.');
  }
  const settings = metadataSettings(conf);
  checkVendorDataSettings(settings.vendor);
  await rt.database();
  const service = new MetadataService({
    settings, log, cacheExpirationS: conf.api.metadata_cache_expiration,
    requester: { proxy: conf.neutron.service_metadata_proxy, sharedSecret: conf.neutron.metadata_proxy_shared_secret, useForwardedFor: conf.api.use_forwarded_for },
  });
  const app = buildMetadataApp(service, log);
  const d = conf.DEFAULT;
  return {
    name: 'api-metadata',
    async start() {
      const { url } = await listen(app, d.metadata_listen, d.metadata_listen_port, d.my_ip);
      await rt.publishEndpoint('metadata', url);
      log.info(`Metadata API listening on ${url}${conf.neutron.service_metadata_proxy ? ' (behind a metadata proxy)' : ''}`);
    },
    async stop() { await app.close(); },
  };
};
