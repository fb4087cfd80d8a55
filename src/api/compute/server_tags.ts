import { MAX_TAG_COUNT } from '../../compute/metadata_api';
import { HttpError } from '../faults';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { types } from '../validation';
import { ControllerDeps } from './deps';
import { loadServer, withConflicts } from './servers_common';

const P = (a: string) => `os_compute_api:os-server-tags:${a}`;
registerPolicies([
  { name: P('index'), check: 'rule:project_reader_or_admin' }, { name: P('show'), check: 'rule:project_reader_or_admin' },
  { name: P('update'), check: 'rule:project_member_or_admin' }, { name: P('update_all'), check: 'rule:project_member_or_admin' },
  { name: P('delete'), check: 'rule:project_member_or_admin' }, { name: P('delete_all'), check: 'rule:project_member_or_admin' },
]);

const tagsBody = { type: 'object', properties: { tags: { type: 'array', items: types.tag, maxItems: MAX_TAG_COUNT } }, required: ['tags'], additionalProperties: false };

/** Why a tag in a URL is refused, or undefined when it is valid (the tag schema of Nova). */
function tagProblem(tag: string): string | undefined {
  if (tag.length === 0) return `'${tag}' is too short`;
  if (tag.length > 60) return `'${tag}' is too long`;
  if (/[,/]/.test(tag)) return `'${tag}' does not match '^[^,/]*$'`;
  return undefined;
}

/** /servers/{id}/tags[/{tag}] (2.26): list, replace, clear, check, add (201/204), remove; at most 50. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const data = d.compute.data;
  const base = '/servers/:server_id/tags';

  r.get(base, { min: '2.26', handler: async (req) => ({ tags: (await loadServer(req, d, P('index'))).tags }) });

  r.put(base, {
    min: '2.26', body: tagsBody,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('update_all'));
      return { tags: await withConflicts('update tags', req.params.server_id, () => data.replaceTags(req.ctx, inst, req.body.tags)) };
    },
  });

  r.delete(base, {
    min: '2.26', status: 204,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('delete_all'));
      await withConflicts('delete tags', req.params.server_id, () => data.deleteAllTags(req.ctx, inst));
    },
  });

  r.get(`${base}/:tag`, {
    min: '2.26', status: 204,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('show'));
      if (!inst.tags.includes(req.params.tag)) throw new HttpError(404, `Server ${req.params.server_id} has no tag '${req.params.tag}'`);
    },
  });

  r.put(`${base}/:tag`, {
    min: '2.26',
    handler: async (req) => {
      const inst = await loadServer(req, d, P('update'));
      const tag = req.params.tag;
      const added = await withConflicts('update tag', req.params.server_id, async () => {
        const problem = tagProblem(tag);
        if (problem) throw new HttpError(400, `Tag '${tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: ${problem}`);
        return data.addTag(req.ctx, inst, tag);
      });
      if (!added) return new ApiResponse(204);
      return new ApiResponse(201, undefined, { location: `${req.baseUrl}/servers/${inst.uuid}/tags/${encodeURIComponent(tag)}` });
    },
  });

  r.delete(`${base}/:tag`, {
    min: '2.26', status: 204,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('delete'));
      await withConflicts('delete tag', req.params.server_id, () => data.deleteTag(req.ctx, inst, req.params.tag));
    },
  });
}
