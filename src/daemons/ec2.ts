import { ComputeAPI } from '../compute/api';
import { AvailabilityZoneAPI } from '../compute/availability_zones';
import { KeypairAPI } from '../compute/keypair_api';
import { buildEc2App } from '../ec2/app';
import { BuiltinEc2Authenticator } from '../ec2/credentials';
import { KeystoneEc2Authenticator } from '../ec2/keystone_auth';
import { serviceTokenSource } from '../identity/provider';
import { listen } from '../lib/http';
import { NetworkAPI } from '../network/api';
import { BucketStore } from '../objectstore/store';
import { DaemonFactory } from './daemon';

/**
 * nova-api-ec2: the EC2 Query API on ec2_listen:ec2_listen_port. Access keys are the built-in
 * Identity's EC2 credentials (same database), or with [keystone_authtoken] auth_url set, a real
 * Keystone's /v3/ec2tokens.
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('ec2');
  const authUrl = rt.conf.keystone_authtoken.auth_url;
  await rt.database();
  const compute = rt.shared('compute-api-layer', () => new ComputeAPI(rt, rt.conf, log));
  const zones = rt.shared('availability-zone-api', () => new AvailabilityZoneAPI(rt.conf, compute.hosts));
  let url = '';
  const pending = new Set<Promise<void>>();
  const env = {
    conf: rt.conf, compute, zones, keypairs: new KeypairAPI(compute.quotas),
    images: () => rt.imageService(), endpoint: () => url,
    // The same instance the Compute API's nova-network controllers use when both run in one process.
    network: () => rt.shared('network-api', () => new NetworkAPI(rt, log.child('network-api'))),
    cert: () => rt.cert(), buckets: new BucketStore(rt.conf.DEFAULT.buckets_path), log,
    background(work: Promise<void>) {
      const p = work.catch((e) => log.error(`background work failed: ${(e as Error).stack ?? e}`)).finally(() => pending.delete(p));
      pending.add(p);
    },
  };
  const app = buildEc2App({ env, auth: authUrl ? new KeystoneEc2Authenticator(authUrl, serviceTokenSource(rt)) : new BuiltinEc2Authenticator(), log });
  const d = rt.conf.DEFAULT;
  return {
    name: 'ec2',
    async start() {
      ({ url } = await listen(app, d.ec2_listen, d.ec2_listen_port, d.my_ip));
      await rt.publishEndpoint('ec2', url);
      log.info(`EC2 API listening on ${url}`);
    },
    async stop() {
      await app.close();
      await Promise.all([...pending]);
    },
  };
};
