import { isoZ } from '../../api/format';
import { ImageMember } from '../../db/api/image_members';
import { ImageRecord } from '../../db/api/images';

/** An image as the Image API v2 shows it: custom properties at top level beside the base attributes. */
export function imageView(img: ImageRecord): Record<string, unknown> {
  return {
    ...img.properties,
    name: img.name, disk_format: img.disk_format, container_format: img.container_format, visibility: img.visibility,
    size: img.size, virtual_size: img.virtual_size, status: img.status, checksum: img.checksum, protected: img.protected,
    min_ram: img.min_ram, min_disk: img.min_disk, owner: img.owner, os_hidden: img.os_hidden, os_hash_algo: img.os_hash_algo ?? null,
    os_hash_value: img.os_hash_value ?? null, id: img.id, created_at: isoZ(img.created_at), updated_at: isoZ(img.updated_at),
    tags: img.tags, self: `/v2/images/${img.id}`, file: `/v2/images/${img.id}/file`, schema: '/v2/schemas/image',
  };
}

export function memberView(m: ImageMember): Record<string, unknown> {
  return {
    member_id: m.member_id, image_id: m.image_id, status: m.status, created_at: isoZ(m.created_at), updated_at: isoZ(m.updated_at),
    schema: '/v2/schemas/member',
  };
}
