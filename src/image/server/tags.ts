import { FastifyInstance } from 'fastify';
import { imageTagAdd, imageTagRemove } from '../../db/api/images';
import { findVisible, mayModify } from './access';
import { badRequest, forbidden, notFound } from './errors';
import { Params } from './request';

type TagParams = Params & { id: string; tag: string };

/** PUT and DELETE /v2/images/{id}/tags/{tag}: both 204; a tag the image lacks is 404. */
export function registerTagRoutes(app: FastifyInstance): void {
  app.put<{ Params: TagParams }>('/v2/images/:id/tags/:tag', async (req, reply) => {
    const { id, tag } = req.params;
    const image = await findVisible(req.caller, id, `Image ${id} not found.`);
    if (!mayModify(req.caller, image)) throw forbidden(`Not allowed to update tags for image ${id}.`);
    if (tag.length > 255) throw badRequest(`Could not update image: Provided object does not match schema 'image': '${tag}' is too long`);
    if (!(await imageTagAdd(image.id, tag))) throw notFound(`Image ${id} not found.`);
    return reply.code(204).send();
  });

  app.delete<{ Params: TagParams }>('/v2/images/:id/tags/:tag', async (req, reply) => {
    const { id, tag } = req.params;
    const image = await findVisible(req.caller, id, `Image ${id} not found.`);
    if (!mayModify(req.caller, image)) throw forbidden(`Not allowed to delete tags for image ${id}.`);
    if (!(await imageTagRemove(image.id, tag))) throw notFound('The resource could not be found.');
    return reply.code(204).send();
  });
}
