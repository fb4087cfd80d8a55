import { Image } from '../../../image/api';
import { isoZ } from '../../format';

/** Nova's image status from Glance's (views/images.py). */
const STATUS: Record<string, string> = {
  active: 'ACTIVE', queued: 'SAVING', saving: 'SAVING', deleted: 'DELETED', pending_delete: 'DELETED', killed: 'ERROR',
};
const PROGRESS: Record<string, number> = { queued: 25, saving: 50, active: 100 };
const TRUE = new Set(['1', 't', 'true', 'on', 'y', 'yes']);

export interface ImageLinkContext {
  /** Compute API base, e.g. http://host:8774/v2.1 */
  baseUrl: string;
  /** Image service root, e.g. http://host:9292 */
  glanceUrl: string;
}

function selfAndBookmark(base: string, kind: string, id: string) {
  const bookmark = base.replace(/\/v2(\.1)?$/, '');
  return [{ rel: 'self', href: `${base}/${kind}/${id}` }, { rel: 'bookmark', href: `${bookmark}/${kind}/${id}` }];
}

export function imageLinks(img: Image, c: ImageLinkContext) {
  return [...selfAndBookmark(c.baseUrl, 'images', img.id), { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${c.glanceUrl}/images/${img.id}` }];
}

export function imageBasic(img: Image, c: ImageLinkContext) {
  return { id: img.id, name: img.name, links: imageLinks(img, c) };
}

/** The detailed image of the deprecated proxy: metadata are Glance's custom properties. */
export function imageDetail(img: Image, c: ImageLinkContext): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: img.id, name: img.name, minRam: img.min_ram ?? 0, minDisk: img.min_disk ?? 0, metadata: img.properties ?? {},
    created: isoZ(img.created_at), updated: isoZ(img.updated_at), status: STATUS[img.status] ?? 'UNKNOWN',
    progress: PROGRESS[img.status] ?? 0, 'OS-EXT-IMG-SIZE:size': img.size ?? 0, links: imageLinks(img, c),
  };
  const server = img.properties?.instance_uuid;
  if (server) out.server = { id: server, links: selfAndBookmark(c.baseUrl, 'servers', server) };
  const diskConfig = img.properties?.auto_disk_config;
  if (diskConfig !== undefined) out['OS-DCF:diskConfig'] = TRUE.has(diskConfig.toLowerCase()) ? 'AUTO' : 'MANUAL';
  return out;
}
