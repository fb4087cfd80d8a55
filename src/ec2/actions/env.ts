import { ComputeAPI } from '../../compute/api';
import { CertMethods } from '../../cert/rpcapi';
import { AvailabilityZoneAPI } from '../../compute/availability_zones';
import { KeypairAPI } from '../../compute/keypair_api';
import { NovaConf } from '../../conf/schema';
import { RequestContext } from '../../context';
import { ImageService } from '../../image/api';
import { NetworkAPI } from '../../network/api';
import { Logger } from '../../lib/log';
import { BucketStore } from '../../objectstore/store';
import { Ec2Params } from '../request';
import { XmlValue } from '../xml';

/** What the EC2 actions use: the Compute service layer, key pairs, zones, nova-network and the Image service. */
export interface Ec2Env {
  conf: NovaConf;
  compute: ComputeAPI;
  keypairs: KeypairAPI;
  zones: AvailabilityZoneAPI;
  images(): Promise<ImageService>;
  /** nova-network as the Compute API uses it (security groups, floating IPs). */
  network(): NetworkAPI;
  /** nova-cert over RPC (decrypt_text of bundle keys). */
  cert(): Promise<CertMethods>;
  /** nova-objectstore's buckets ([DEFAULT] buckets_path), where RegisterImage finds bundles. */
  buckets: BucketStore;
  /** Runs work that outlives its request (unbundling); the daemon waits for it when stopping. */
  background(work: Promise<void>): void;
  log: Logger;
  /** The URL this EC2 API is reached at (DescribeRegions' endpoint). */
  endpoint(): string;
}

/** One Query API action: parameters in, the children of `<ActionResponse>` out. */
export type Ec2Action = (env: Ec2Env, ctx: RequestContext, p: Ec2Params) => Promise<Record<string, XmlValue>>;
