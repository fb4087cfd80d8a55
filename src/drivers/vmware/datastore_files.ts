import { PassThrough, Readable } from 'node:stream';
import { NovaConf } from '../../conf/schema';
import { ImageUnacceptable } from '../../exception';
import { Logger } from '../../lib/log';
import { ImageMeta } from '../driver';
import { typed } from './encode';
import { ParsedXml, textOf } from '../../lib/xml';
import { ClusterPlacement, DatastoreInfo, dsPath } from './inventory';
import { morefOf, VimFault } from './soap';
import { asObjects } from './session';
import { VimSession } from './session';

/** How an image's bytes become a VMware disk. */
export type ImageDiskKind = 'flat';

/**
 * Which images the driver boots: raw images and vmdk images whose data is a flat extent
 * (`vmware_disktype` preallocated, Nova's default for vmdk). Their bytes are written as the
 * `-flat.vmdk` of a descriptor vCenter creates. Sparse and streamOptimized vmdks, qcow2 and the
 * rest are refused with the reason, as Nova refuses what it cannot use.
 */
export function imageDiskKind(image: ImageMeta): ImageDiskKind {
  const fmt = image.disk_format ?? '';
  const vmdkType = image.properties.vmware_disktype ?? 'preallocated';
  if (fmt === 'raw') return 'flat';
  if (fmt === 'vmdk' && (vmdkType === 'preallocated' || vmdkType === 'thin')) return 'flat';
  const why = fmt === 'vmdk'
    ? `vmware_disktype '${vmdkType}' is not supported by this driver (use a flat/preallocated vmdk or a raw image)`
    : `disk_format '${fmt || 'unset'}' cannot be used by the VMware driver (use raw, or vmdk with vmware_disktype=preallocated; e.g. qemu-img convert -O raw)`;
  throw new ImageUnacceptable({ image_id: image.id, reason: why });
}

/** Appends zeros so the stream is exactly `total` bytes (a flat extent is whole KiB). */
function padTo(src: NodeJS.ReadableStream, size: number, total: number): NodeJS.ReadableStream {
  if (total === size) return src;
  const out = new PassThrough();
  (src as Readable).on('error', (e) => out.destroy(e));
  (src as Readable).on('end', () => out.end(Buffer.alloc(total - size)));
  (src as Readable).pipe(out, { end: false });
  return out;
}

/**
 * Files on the cluster's datastores: the image cache (`<cache_prefix>vmware_base/<image>/`),
 * uploads and downloads over vCenter's /folder endpoint, and vCenter's disk and file managers.
 */
export class DatastoreFiles {
  private inFlight = new Map<string, Promise<string>>();

  constructor(private s: VimSession, private conf: NovaConf['vmware'], private log: Logger) {}

  private get timeoutMs(): number { return this.conf.image_transfer_timeout_secs * 1000; }
  cacheFolder(imageId: string): string { return `${this.conf.cache_prefix}vmware_base/${imageId}`; }

  async exists(place: ClusterPlacement, datastore: string, path: string): Promise<boolean> {
    const res = await this.s.soap.transfer(this.s.soap.folderUrl(path, place.datacenterPath, datastore), 'HEAD', { timeoutMs: 60_000 });
    return res.status >= 200 && res.status < 300;
  }

  /** The cached disk of an image on `datastore` ("[ds] vmware_base/<id>/<id>.vmdk"), uploading it once. */
  cachedImage(place: ClusterPlacement, datastore: string, image: ImageMeta, open: () => Promise<NodeJS.ReadableStream>): Promise<string> {
    const key = `${datastore}/${image.id}`;
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.cache(place, datastore, image, open).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async cache(place: ClusterPlacement, datastore: string, image: ImageMeta, open: () => Promise<NodeJS.ReadableStream>): Promise<string> {
    imageDiskKind(image);
    const folder = this.cacheFolder(image.id);
    const descriptor = dsPath(datastore, folder, `${image.id}.vmdk`);
    if (await this.exists(place, datastore, `${folder}/${image.id}-flat.vmdk`)) return descriptor;
    const size = image.size;
    if (!size || size <= 0) throw new ImageUnacceptable({ image_id: image.id, reason: 'image has no data (size 0 or unknown)' });
    const capacityKb = Math.ceil(size / 1024);
    this.log.info(`caching image ${image.id} (${size} bytes) on datastore ${datastore} as ${descriptor}`);
    const dc = place.datacenter;
    try {
      await this.s.invoke('MakeDirectory', this.s.content.fileManager, { name: dsPath(datastore, folder), datacenter: dc, createParentDirectories: true });
      // vCenter writes the descriptor and an empty extent; the extent is then replaced by the image's bytes.
      await this.s.runTask('CreateVirtualDisk_Task', this.s.content.virtualDiskManager, {
        name: descriptor, datacenter: dc, spec: typed('FileBackedVirtualDiskSpec', { diskType: 'preallocated', adapterType: 'lsiLogic', capacityKb }),
      });
      await this.s.runTask('DeleteDatastoreFile_Task', this.s.content.fileManager, { name: dsPath(datastore, folder, `${image.id}-flat.vmdk`), datacenter: dc });
      await this.upload(place, datastore, `${folder}/${image.id}-flat.vmdk`, padTo(await open(), size, capacityKb * 1024), capacityKb * 1024);
    } catch (e) {
      await this.s.runTask('DeleteDatastoreFile_Task', this.s.content.fileManager, { name: dsPath(datastore, folder), datacenter: dc }).catch(() => undefined);
      throw e;
    }
    return descriptor;
  }

  async upload(place: ClusterPlacement, datastore: string, path: string, body: NodeJS.ReadableStream | Buffer, size: number): Promise<void> {
    const url = this.s.soap.folderUrl(path, place.datacenterPath, datastore);
    const res = await this.s.soap.transfer(url, 'PUT', { body, size, timeoutMs: this.timeoutMs });
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`upload of [${datastore}] ${path} to vCenter ${this.s.endpoint} failed: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
    }
  }

  async download(place: ClusterPlacement, datastore: string, path: string): Promise<{ stream: NodeJS.ReadableStream; size?: number }> {
    const url = this.s.soap.folderUrl(path, place.datacenterPath, datastore);
    const res = await this.s.soap.transfer(url, 'GET', { timeoutMs: this.timeoutMs, stream: true });
    if (res.status < 200 || res.status >= 300 || !res.stream) {
      res.stream?.resume();
      throw new Error(`download of [${datastore}] ${path} from vCenter ${this.s.endpoint} failed: HTTP ${res.status}`);
    }
    const len = Number(res.headers['content-length']);
    return { stream: res.stream, size: Number.isFinite(len) ? len : undefined };
  }

  async copyDisk(place: ClusterPlacement, source: string, dest: string): Promise<void> {
    await this.s.runTask('CopyVirtualDisk_Task', this.s.content.virtualDiskManager, {
      sourceName: source, sourceDatacenter: place.datacenter, destName: dest, destDatacenter: place.datacenter, force: false,
    });
  }

  /** The image folders in a datastore's cache, with their modification time (SearchDatastore_Task). */
  async cachedImageFolders(datastore: DatastoreInfo): Promise<Array<{ imageId: string; modified?: Date }>> {
    const browser = morefOf(await this.s.property(datastore.ref, 'browser'));
    let result: ParsedXml;
    try {
      result = (await this.s.runTask('SearchDatastore_Task', browser, {
        datastorePath: dsPath(datastore.name, `${this.conf.cache_prefix}vmware_base`),
        searchSpec: { query: [typed('FolderFileQuery', {})], details: { fileType: true, fileSize: false, modification: true, fileOwner: false }, matchPattern: ['*'] },
      }, 'SearchDatastore_Task')) as ParsedXml;
    } catch (e) {
      if (e instanceof VimFault && e.faultType === 'FileNotFound') return [];
      throw e;
    }
    return asObjects(result?.file).filter((f) => f['@_type'] === 'FolderFileInfo').map((f) => {
      const m = textOf(f.modification);
      return { imageId: textOf(f.path), modified: m ? new Date(m) : undefined };
    });
  }

  /** Whether an image is being cached right now on a datastore (never remove those). */
  caching(datastore: string, imageId: string): boolean { return this.inFlight.has(`${datastore}/${imageId}`); }

  async deleteFile(place: ClusterPlacement, path: string): Promise<void> {
    await this.s.runTask('DeleteDatastoreFile_Task', this.s.content.fileManager, { name: path, datacenter: place.datacenter });
  }
}
