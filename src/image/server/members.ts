import { FastifyInstance } from 'fastify';
import { RequestContext } from '../../context';
import { imageMemberCreate, imageMemberDelete, imageMemberGet, imageMemberList, imageMemberSetStatus, ImageMember } from '../../db/api/image_members';
import { ImageRecord } from '../../db/api/images';
import { MEMBER_STATUSES } from '../schemas';
import { findVisible, hasRole, mayModify } from './access';
import { badRequest, conflict, forbidden, notFound } from './errors';
import { jsonBody, Params } from './request';
import { memberView } from './view';

type MemberParams = Params & { id: string; member: string };

const lookup = (ctx: RequestContext, id: string) => findVisible(ctx, id, `Image ${id} not found.`);
const memberMissing = (member: string, image: string) => notFound(`${member} not found in the member list of the image ${image}.`);

/** May the caller see this membership: admin, the owner, or the member project itself. */
function maySeeMember(ctx: RequestContext, image: ImageRecord, member: string): boolean {
  return ctx.is_admin || (hasRole(ctx, 'reader') && (image.owner === ctx.project_id || member === ctx.project_id));
}

function bodyField(body: unknown, field: 'member' | 'status', formMessage: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest(formMessage);
  return (body as Record<string, unknown>)[field];
}

/**
 * Image members (sharing): the owner adds and removes projects, each member accepts or rejects.
 * Only shared images have members.
 */
export function registerMemberRoutes(app: FastifyInstance): void {
  app.get<{ Params: Params }>('/v2/images/:id/members', async (req) => {
    const image = await lookup(req.caller, req.params.id);
    if (image.visibility !== 'shared') throw forbidden(`Not allowed to list members for image ${image.id}: Only shared images have members.`);
    const members = (await imageMemberList(image.id)).filter((m) => maySeeMember(req.caller, image, m.member_id));
    return { members: members.map(memberView), schema: '/v2/schemas/members' };
  });

  app.post<{ Params: Params }>('/v2/images/:id/members', async (req) => {
    const member = bodyField(jsonBody(req), 'member', 'Expected a member in the form: {"member": "image_id"}');
    if (member === undefined) throw badRequest('Member to be added not specified');
    if (!member) throw badRequest("Member can't be empty");
    if (typeof member !== 'string') throw badRequest('Expected a member in the form: {"member": "image_id"}');
    const image = await lookup(req.caller, req.params.id);
    if (image.visibility !== 'shared' || !mayModify(req.caller, image)) throw forbidden(`Not allowed to create members for image ${image.id}.`);
    const created = await imageMemberCreate(image.id, member);
    if (!created) throw conflict(`Member ${member} is duplicated for image ${image.id}`);
    return memberView(created);
  });

  app.get<{ Params: MemberParams }>('/v2/images/:id/members/:member', async (req) => {
    const { id, member } = req.params;
    const image = await lookup(req.caller, id);
    if (image.visibility !== 'shared') throw notFound('Only shared images have members.');
    const found = maySeeMember(req.caller, image, member) ? await imageMemberGet(image.id, member) : null;
    if (!found) throw memberMissing(member, image.id);
    return memberView(found);
  });

  app.put<{ Params: MemberParams }>('/v2/images/:id/members/:member', async (req) => {
    const { id, member } = req.params;
    const status = bodyField(jsonBody(req), 'status', 'Expected a status in the form: {"status": "status"}');
    if (status === undefined) throw badRequest('Status not specified');
    const image = await lookup(req.caller, id);
    // Only the member project decides; the owner may not accept on its behalf (admins may).
    const allowed = req.caller.is_admin || (hasRole(req.caller, 'member') && req.caller.project_id === member);
    if (image.visibility !== 'shared' || (!allowed && image.owner === req.caller.project_id)) throw forbidden(`Not allowed to update members for image ${id}.`);
    if (!maySeeMember(req.caller, image, member) || !(await imageMemberGet(image.id, member))) throw memberMissing(member, image.id);
    if (!allowed) throw forbidden(`Not allowed to update members for image ${id}.`);
    if (!(MEMBER_STATUSES as readonly unknown[]).includes(status)) throw badRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".');
    const updated = await imageMemberSetStatus(image.id, member, status as ImageMember['status']);
    if (!updated) throw memberMissing(member, image.id);
    return memberView(updated);
  });

  app.delete<{ Params: MemberParams }>('/v2/images/:id/members/:member', async (req, reply) => {
    const { id, member } = req.params;
    const image = await lookup(req.caller, id);
    if (image.visibility !== 'shared' || !mayModify(req.caller, image)) throw forbidden(`Not allowed to delete members for image ${id}.`);
    if (!(await imageMemberDelete(image.id, member))) throw memberMissing(member, image.id);
    return reply.code(204).send();
  });
}
