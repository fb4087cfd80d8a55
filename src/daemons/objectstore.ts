import { BuiltinEc2Authenticator } from '../ec2/credentials';
import { KeystoneEc2Authenticator } from '../ec2/keystone_auth';
import { serviceTokenSource } from '../identity/provider';
import { listen } from '../lib/http';
import { buildObjectStoreApp } from '../objectstore/app';
import { BucketStore } from '../objectstore/store';
import { DaemonFactory } from './daemon';

/**
 * nova-objectstore: the S3 subset bundles are uploaded to, on s3_listen:s3_listen_port, buckets kept
 * under [DEFAULT] buckets_path. Requests are checked against the same EC2 credentials as nova-api-ec2.
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('objectstore');
  const authUrl = rt.conf.keystone_authtoken.auth_url;
  // The built-in credentials live in the database.
  if (!authUrl) await rt.database();
  const d = rt.conf.DEFAULT;
  const app = buildObjectStoreApp({
    store: new BucketStore(d.buckets_path), log,
    auth: authUrl ? new KeystoneEc2Authenticator(authUrl, serviceTokenSource(rt)) : new BuiltinEc2Authenticator(),
  });
  return {
    name: 'objectstore',
    async start() {
      const { url } = await listen(app, d.s3_listen, d.s3_listen_port, d.my_ip);
      await rt.publishEndpoint('objectstore', url);
      log.info(`objectstore (S3) listening on ${url}, buckets in ${d.buckets_path}`);
    },
    async stop() { await app.close(); },
  };
};
