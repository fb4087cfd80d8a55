import { glanceIdToEc2Id, instanceEc2Id } from '../../db/api/ec2_ids';
import { instanceGet } from '../../db/api/instances';
import { instanceSecurityGroupNames } from '../../db/api/instance_network';
import { extractPassword } from '../../db/api/instance_password';
import { Logger } from '../../lib/log';
import { Instance } from '../../objects/instance';
import { fetchDynamicVendorData, readStaticVendorData, VendorDataSettings } from './vendor_data';

/** What the metadata trees need from configuration. */
export interface MetadataSettings {
  /** `[api] dhcp_domain`, appended to hostnames ('' for none). */
  dhcpDomain: string;
  /** `[DEFAULT] default_availability_zone`, for instances that have no zone recorded. */
  defaultAvailabilityZone: string;
  vendor: VendorDataSettings;
}

export interface Ec2InstanceIds { instanceId: string; amiId: string; kernelId: string | null; ramdiskId: string | null }
export interface KeypairView { name: string; type: 'ssh' | 'x509'; data: string }

/**
 * One instance as the metadata service shows it (Nova's InstanceMetadata): loaded once, then cached
 * for `[api] metadata_cache_expiration` seconds and asked for many paths.
 */
export class InstanceMetadata {
  readonly userData: Buffer | null;
  readonly password: string | null;
  private dynamicVendorData?: Promise<Record<string, unknown>>;

  constructor(
    readonly instance: Instance,
    readonly ec2Ids: Ec2InstanceIds,
    readonly securityGroups: string[],
    readonly staticVendorData: unknown,
    readonly settings: MetadataSettings,
    private readonly log: Logger,
  ) {
    this.userData = instance.user_data === null || instance.user_data === undefined ? null : Buffer.from(instance.user_data, 'base64');
    this.password = extractPassword(instance.system_metadata);
  }

  get uuid(): string { return this.instance.uuid; }

  /** The hostname, with `[api] dhcp_domain` appended when set. */
  get hostname(): string {
    const host = this.instance.hostname || `server-${this.instance.uuid}`;
    return this.settings.dhcpDomain ? `${host}.${this.settings.dhcpDomain}` : host;
  }

  get availabilityZone(): string {
    return this.instance.availability_zone || this.settings.defaultAvailabilityZone;
  }

  /** The key pair the instance was booted with (its copy of the public key), if any. */
  get keypair(): KeypairView | null {
    const { key_name: name, key_data: data } = this.instance;
    if (!name || !data) return null;
    return { name, type: data.trimStart().startsWith('-----BEGIN CERTIFICATE-----') ? 'x509' : 'ssh', data };
  }

  /** Answers of the DynamicJSON targets, asked once per cached snapshot. */
  dynamicVendor(): Promise<Record<string, unknown>> {
    if (!this.dynamicVendorData) {
      const asked = fetchDynamicVendorData(this.instance, this.settings.vendor, this.log);
      // A failure (only thrown when failure is fatal) is not kept: the next request asks again.
      asked.catch(() => { if (this.dynamicVendorData === asked) this.dynamicVendorData = undefined; });
      this.dynamicVendorData = asked;
    }
    return this.dynamicVendorData;
  }
}

/** Loads what the metadata trees show about instance `uuid` (InstanceNotFound when it is gone). */
export async function loadInstanceMetadata(uuid: string, settings: MetadataSettings, log: Logger): Promise<InstanceMetadata> {
  const inst = await instanceGet(uuid);
  const ec2Ids: Ec2InstanceIds = {
    instanceId: instanceEc2Id(inst),
    amiId: inst.image_ref ? await glanceIdToEc2Id(inst.image_ref, 'ami') : 'ami-00000000',
    kernelId: inst.kernel_id ? await glanceIdToEc2Id(inst.kernel_id, 'aki') : null,
    ramdiskId: inst.ramdisk_id ? await glanceIdToEc2Id(inst.ramdisk_id, 'ari') : null,
  };
  const staticVendor = settings.vendor.providers.includes('StaticJSON') ? readStaticVendorData(settings.vendor.jsonfilePath) : {};
  return new InstanceMetadata(inst, ec2Ids, await instanceSecurityGroupNames(inst), staticVendor, settings, log);
}
