import { RequestContext } from '../context';
import { ImageMeta } from '../drivers/driver';

/** A Glance image as the Image API v2 shows it. */
export interface Image {
  id: string;
  name: string | null;
  status: 'queued' | 'saving' | 'active' | 'killed' | 'deleted' | 'pending_delete' | 'deactivated' | 'uploading' | 'importing';
  visibility: 'public' | 'private' | 'shared' | 'community';
  owner: string | null;
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo?: string | null;
  os_hash_value?: string | null;
  min_disk: number;
  min_ram: number;
  protected: boolean;
  tags: string[];
  created_at: string;
  updated_at: string;
  /** Every other (custom) property, such as kernel_id, ramdisk_id, hw_*, os_*. */
  properties: Record<string, string>;
}

/** What compute and the API need from the Image service, built-in or a real Glance. */
export interface ImageService {
  get(ctx: RequestContext, id: string): Promise<Image>;
  list(ctx: RequestContext, filters?: Record<string, string>): Promise<Image[]>;
  create(ctx: RequestContext, meta: Partial<Image> & { name: string }): Promise<Image>;
  update(ctx: RequestContext, id: string, changes: Partial<Image>, removeProps?: string[]): Promise<Image>;
  upload(ctx: RequestContext, id: string, data: NodeJS.ReadableStream | Buffer): Promise<void>;
  download(ctx: RequestContext, id: string): Promise<NodeJS.ReadableStream>;
  delete(ctx: RequestContext, id: string): Promise<void>;
}

/** The compact form drivers get. */
export function imageMeta(img: Image): ImageMeta {
  return {
    id: img.id, name: img.name ?? undefined, disk_format: img.disk_format ?? undefined,
    container_format: img.container_format ?? undefined, size: img.size ?? undefined, checksum: img.checksum ?? undefined,
    min_disk: img.min_disk, min_ram: img.min_ram, properties: img.properties ?? {},
  };
}
