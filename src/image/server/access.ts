import { expandRoles } from '../../api/policy';
import { RequestContext } from '../../context';
import { imageMemberGet, ImageMember } from '../../db/api/image_members';
import { imageGet, ImageRecord } from '../../db/api/images';
import { forbidden, GlanceError, notFound } from './errors';

/**
 * Who may see and change an image, with Glance's default policies (Zed and later): admins may do
 * anything; the owner project's members may change their images; anyone sees public and community
 * images; a shared image is seen by its owner and by its members, whatever their membership status.
 * An image the caller may not see does not exist for them (404).
 */

export function hasRole(ctx: RequestContext, role: string): boolean {
  return expandRoles(ctx.roles).includes(role);
}

export function isOwner(ctx: RequestContext, image: ImageRecord): boolean {
  return !!ctx.project_id && image.owner === ctx.project_id;
}

/** Admin, or a member of the owning project (Glance's ADMIN_OR_PROJECT_MEMBER). */
export function mayModify(ctx: RequestContext, image: ImageRecord): boolean {
  return ctx.is_admin || (isOwner(ctx, image) && hasRole(ctx, 'member'));
}

export async function maySee(ctx: RequestContext, image: ImageRecord): Promise<{ visible: boolean; membership: ImageMember | null }> {
  if (ctx.is_admin || image.owner === null || image.visibility === 'public' || image.visibility === 'community' || isOwner(ctx, image)) {
    return { visible: true, membership: null };
  }
  if (image.visibility === 'shared' && ctx.project_id) {
    const membership = await imageMemberGet(image.id, ctx.project_id);
    return { visible: !!membership, membership };
  }
  return { visible: false, membership: null };
}

/** The image if the caller may see it; else Glance's 404 with `notFoundMessage`. */
export async function findVisible(ctx: RequestContext, id: string, notFoundMessage = `No image found with ID ${id}`): Promise<ImageRecord> {
  const image = await imageGet(id);
  if (!image || !(await maySee(ctx, image)).visible) throw notFound(notFoundMessage);
  return image;
}

/** Glance's generic policy refusal. */
export function notAuthorized(action: string): GlanceError {
  return forbidden(`You are not authorized to complete ${action} action.`);
}
