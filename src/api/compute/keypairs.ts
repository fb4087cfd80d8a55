import { KeypairAPI, KeypairType } from '../../compute/keypair_api';
import { KeypairObj } from '../../db/api/keypairs';
import { MarkerNotFound } from '../../exception';
import { APIVersion } from '../microversion';
import { badRequest } from '../faults';
import { dbTime, q1, qAll } from '../format';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiResponse, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/keypairs';
import { collectionLinks } from './views/links';

const POLICY = 'os_compute_api:os-keypairs';
const OWNER_OR_ADMIN = '(rule:context_is_admin) or user_id:%(user_id)s';
registerPolicies(['index', 'create', 'delete', 'show'].map((a) => ({ name: `${POLICY}:${a}`, check: OWNER_OR_ADMIN })));

function summary(k: KeypairObj, v: APIVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { name: k.name, public_key: k.public_key, fingerprint: k.fingerprint };
  if (v.gte('2.2')) out.type = k.type;
  return out;
}

function detail(k: KeypairObj, v: APIVersion): Record<string, unknown> {
  return {
    ...summary(k, v), user_id: k.user_id, created_at: dbTime(k.created_at), deleted: false, deleted_at: null, id: k.id, updated_at: null,
  };
}

/** Whose key pairs: the caller's, or from 2.10 the `user_id` asked for (the policy decides). */
function targetUser(req: ApiRequest, asked: string | undefined): string {
  return (req.version.gte('2.10') ? asked : undefined) || (req.ctx.user_id ?? '');
}

/** /os-keypairs: a user's key pairs; admins may act for another user from 2.10. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const keypairs = d.rt.shared('keypair-api', () => new KeypairAPI(d.compute.quotas));
  const maxLimit = d.conf.api.max_limit;

  r.get('/os-keypairs', {
    queryParams: schema.listQuery,
    handler: async (req) => {
      const userId = targetUser(req, qAll(req.query.user_id)[0]);
      req.authorize(`${POLICY}:index`, { user_id: userId });
      const paged = req.version.gte('2.35');
      const opts = paged ? { limit: Math.min(maxLimit, Number(q1(req.query.limit) ?? maxLimit)), marker: q1(req.query.marker) } : {};
      let found: KeypairObj[];
      try {
        found = await keypairs.list(req.ctx, userId, opts);
      } catch (e) {
        if (e instanceof MarkerNotFound) throw badRequest(e.message);
        throw e;
      }
      const body: Record<string, unknown> = { keypairs: found.map((k) => ({ keypair: summary(k, req.version) })) };
      if (paged) {
        const links = collectionLinks(req.baseUrl, 'os-keypairs', req.query, found.length, found[found.length - 1]?.name, maxLimit);
        if (links.length) body.keypairs_links = links;
      }
      return body;
    },
  });

  r.post('/os-keypairs', {
    body: [
      { max: '2.1', schema: schema.createKeypair },
      { min: '2.2', max: '2.9', schema: schema.createKeypairV22 },
      { min: '2.10', max: '2.91', schema: schema.createKeypairV210 },
      { min: '2.92', schema: schema.createKeypairV292 },
    ],
    handler: async (req) => {
      const b = req.body.keypair;
      const userId = targetUser(req, b.user_id);
      req.authorize(`${POLICY}:create`, { user_id: userId });
      const type: KeypairType = req.version.gte('2.2') ? (b.type ?? 'ssh') : 'ssh';
      const k = await keypairs.create(req.ctx, userId, b.name.trim(), type, b.public_key);
      const out: Record<string, unknown> = {};
      if (k.private_key !== undefined) out.private_key = k.private_key;
      Object.assign(out, summary(k, req.version), { user_id: k.user_id });
      return new ApiResponse(req.version.gte('2.2') ? 201 : 200, { keypair: out });
    },
  });

  r.get('/os-keypairs/:keypair_name', {
    queryParams: schema.itemQuery,
    handler: async (req) => {
      const userId = targetUser(req, qAll(req.query.user_id)[0]);
      req.authorize(`${POLICY}:show`, { user_id: userId });
      return { keypair: detail(await keypairs.get(req.ctx, userId, req.params.keypair_name), req.version) };
    },
  });

  r.delete('/os-keypairs/:keypair_name', {
    queryParams: schema.itemQuery,
    handler: async (req) => {
      const userId = targetUser(req, qAll(req.query.user_id)[0]);
      req.authorize(`${POLICY}:delete`, { user_id: userId });
      await keypairs.delete(req.ctx, userId, req.params.keypair_name);
      return new ApiResponse(req.version.gte('2.2') ? 204 : 202);
    },
  });
}
