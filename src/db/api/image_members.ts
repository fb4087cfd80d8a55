import { ImageMemberRow, ImageRow } from '../models/image';
import { touch } from './images';

/** A project an image is shared with (Glance's image member). */
export interface ImageMember {
  image_id: string;
  member_id: string;
  status: 'pending' | 'accepted' | 'rejected';
  created_at: string;
  updated_at: string;
}

function toMember(r: ImageMemberRow): ImageMember {
  return {
    image_id: r.image_id, member_id: r.member, status: r.status as ImageMember['status'],
    created_at: new Date(r.created_at).toISOString(), updated_at: new Date(r.updated_at).toISOString(),
  };
}

export async function imageMemberList(imageId: string): Promise<ImageMember[]> {
  return (await ImageMemberRow.findAll({ where: { image_id: imageId }, order: [['created_at', 'ASC'], ['id', 'ASC']] })).map(toMember);
}

export async function imageMemberGet(imageId: string, member: string): Promise<ImageMember | null> {
  const row = await ImageMemberRow.findOne({ where: { image_id: imageId, member } });
  return row ? toMember(row) : null;
}

/** Adds a pending member; null when the project already is one. */
export async function imageMemberCreate(imageId: string, member: string): Promise<ImageMember | null> {
  try {
    const row = await ImageMemberRow.sequelize!.transaction(async (transaction) => {
      if (await ImageMemberRow.findOne({ where: { image_id: imageId, member }, transaction })) return null;
      await ImageRow.update(touch(), { where: { id: imageId, deleted: false }, transaction });
      return ImageMemberRow.create({ image_id: imageId, member, status: 'pending' }, { transaction });
    });
    return row ? toMember(row) : null;
  } catch (e) {
    if ((e as Error).name === 'SequelizeUniqueConstraintError') return null;
    throw e;
  }
}

export async function imageMemberSetStatus(imageId: string, member: string, status: ImageMember['status']): Promise<ImageMember | null> {
  const row = await ImageMemberRow.findOne({ where: { image_id: imageId, member } });
  if (!row) return null;
  await row.update({ status });
  return toMember(row);
}

export async function imageMemberDelete(imageId: string, member: string): Promise<boolean> {
  return (await ImageMemberRow.destroy({ where: { image_id: imageId, member } })) > 0;
}
