import { Readable } from 'node:stream';
import { loadConfig } from '../../../src/conf/loader';
import { FlavorCopy } from '../../../src/db/models/instance';
import { DriverInstance, ImageMeta } from '../../../src/drivers/driver';
import { VMwareVCDriver } from '../../../src/drivers/vmware';
import type { ImageService } from '../../../src/image/api';
import { nullLogger, StreamLogger } from '../../../src/lib/log';
import { Vcsim } from '../../helpers/vcsim';

export const log = process.env.NOVA_TEST_LOG ? new StreamLogger('vmware-test', { level: 'debug' }) : nullLogger;

export function driverFor(sim: Vcsim, extra: Record<string, string> = {}): VMwareVCDriver {
  return new VMwareVCDriver(loadConfig({ overrides: sim.overrides(extra) }).conf, log);
}

/** An image service double that serves fixed bytes per image id and counts downloads. */
export function imageBytes(images: Record<string, Buffer>): { service: () => Promise<ImageService>; downloads: string[] } {
  const downloads: string[] = [];
  const service = async () => ({
    download: async (_ctx: unknown, id: string) => {
      downloads.push(id);
      if (!images[id]) throw new Error(`no image ${id}`);
      return Readable.from([images[id]]);
    },
  }) as unknown as ImageService;
  return { service, downloads };
}

let seq = 0;
export function instance(over: Partial<DriverInstance> = {}): DriverInstance {
  seq++;
  const uuid = `0000${seq.toString(16).padStart(4, '0')}-aaaa-4bbb-8ccc-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
  return {
    uuid, name: `instance-${seq.toString(16).padStart(8, '0')}`, display_name: `vm-${seq}`, hostname: `vm-${seq}`,
    project_id: 'p', user_id: 'u', image_ref: 'img', kernel_id: null, ramdisk_id: null, key_data: null, user_data: null,
    metadata: {}, network_info: [], power_state: 0, vm_state: 'building', task_state: 'spawning', host: 'h', node: null,
    flavor: flavor('m1.tiny', 512, 1, 1),
    ...over,
  };
}

export function flavor(name: string, memory_mb: number, vcpus: number, root_gb: number): FlavorCopy {
  return { id: memory_mb, flavorid: name, name, memory_mb, vcpus, root_gb, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: {} };
}

export function rawImage(id: string, data: Buffer): ImageMeta {
  return { id, disk_format: 'raw', container_format: 'bare', size: data.length, properties: {} };
}
