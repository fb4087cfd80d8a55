import { NovaConf } from '../../conf/schema';
import { MetadataSettings } from './instance_data';
import { RequesterSettings } from './requester';

/** What the metadata trees need from nova.conf. */
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
 * How requesters are identified, from nova.conf. Behind a proxy the shared secret is required: with an
 * empty one anyone could sign X-Instance-ID (Nova only warns; this refuses).
 */
export function requesterSettings(conf: NovaConf): RequesterSettings {
  const { service_metadata_proxy: proxy, metadata_proxy_shared_secret: sharedSecret } = conf.neutron;
  if (proxy && !sharedSecret) {
    throw new Error('[neutron] service_metadata_proxy is true but [neutron] metadata_proxy_shared_secret is empty: anyone could sign X-Instance-ID. Set the secret the metadata proxy uses.');
  }
  return { proxy, sharedSecret, useForwardedFor: conf.api.use_forwarded_for };
}
