import { HttpError } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { types } from '../validation';
import { ControllerDeps } from './deps';
import { loadServer, withConflicts } from './servers_common';

const P = (a: string) => `os_compute_api:server-metadata:${a}`;
registerPolicies([
  { name: P('index'), check: 'rule:project_reader_or_admin' }, { name: P('show'), check: 'rule:project_reader_or_admin' },
  { name: P('create'), check: 'rule:project_member_or_admin' }, { name: P('update_all'), check: 'rule:project_member_or_admin' },
  { name: P('update'), check: 'rule:project_member_or_admin' }, { name: P('delete'), check: 'rule:project_member_or_admin' },
]);

const metadataBody = { type: 'object', properties: { metadata: types.metadata }, required: ['metadata'], additionalProperties: false };
const metaBody = { type: 'object', properties: { meta: { ...types.metadata, minProperties: 1, maxProperties: 1 } }, required: ['meta'], additionalProperties: false };
const NOT_FOUND = 'Metadata item was not found';

/** /servers/{id}/metadata[/{key}]: read, merge (POST), replace (PUT), one key, delete; metadata_items quota. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const data = d.compute.data;
  const base = '/servers/:server_id/metadata';

  r.get(base, { handler: async (req) => ({ metadata: (await loadServer(req, d, P('index'))).metadata }) });

  r.post(base, {
    body: metadataBody,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('create'));
      return { metadata: await withConflicts('update metadata', inst.uuid, () => data.updateMetadata(req.ctx, inst, req.body.metadata, false)) };
    },
  });

  r.put(base, {
    body: metadataBody,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('update_all'));
      return { metadata: await withConflicts('update metadata', inst.uuid, () => data.updateMetadata(req.ctx, inst, req.body.metadata, true)) };
    },
  });

  r.get(`${base}/:key`, {
    handler: async (req) => {
      const inst = await loadServer(req, d, P('show'));
      const key = req.params.key;
      if (!(key in inst.metadata)) throw new HttpError(404, NOT_FOUND);
      return { meta: { [key]: inst.metadata[key] } };
    },
  });

  r.put(`${base}/:key`, {
    body: metaBody,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('update'));
      const meta = req.body.meta as Record<string, string>;
      if (!(req.params.key in meta)) throw new HttpError(400, 'Request body and URI mismatch');
      await withConflicts('update metadata', inst.uuid, () => data.updateMetadata(req.ctx, inst, meta, false));
      return { meta };
    },
  });

  r.delete(`${base}/:key`, {
    status: 204,
    handler: async (req) => {
      const inst = await loadServer(req, d, P('delete'));
      if (!(req.params.key in inst.metadata)) throw new HttpError(404, NOT_FOUND);
      await withConflicts('delete metadata', req.params.server_id, () => data.deleteMetadata(req.ctx, inst, req.params.key));
    },
  });
}
