import { FastifyInstance } from 'fastify';
import { createEc2Credential, deleteEc2Credential, getEc2Credential, listEc2Credentials } from '../../ec2';
import { baseUrl, callerOf, requestUrl } from '../request';
import { check, ec2Create } from '../validation';
import { collection, ec2View } from '../views';

type UserParams = { user_id: string };
type CredParams = { user_id: string; access: string };

/** /v3/users/{user_id}/credentials/OS-EC2: EC2 access/secret pairs for the user's projects. */
export function registerEc2Routes(app: FastifyInstance): void {
  const path = '/v3/users/:user_id/credentials/OS-EC2';

  app.get<{ Params: UserParams }>(path, async (req) => {
    callerOf(req).requireAdminOrUser('identity:ec2_list_credentials', req.params.user_id);
    const creds = await listEc2Credentials(req.params.user_id);
    return collection('credentials', creds.map((c) => ec2View(c, baseUrl(req))), requestUrl(req));
  });

  app.post<{ Params: UserParams }>(path, async (req, reply) => {
    const caller = callerOf(req);
    caller.requireAdminOrUser('identity:ec2_create_credential', req.params.user_id);
    const v = check<{ tenant_id: string }>(ec2Create, req.body ?? {});
    const c = await createEc2Credential(req.params.user_id, v.tenant_id);
    return reply.code(201).send({ credential: ec2View(c, baseUrl(req)) });
  });

  app.get<{ Params: CredParams }>(`${path}/:access`, async (req) => {
    callerOf(req).requireAdminOrUser('identity:ec2_get_credential', req.params.user_id);
    return { credential: ec2View(await getEc2Credential(req.params.user_id, req.params.access), baseUrl(req)) };
  });

  app.delete<{ Params: CredParams }>(`${path}/:access`, async (req, reply) => {
    callerOf(req).requireAdminOrUser('identity:ec2_delete_credential', req.params.user_id);
    await deleteEc2Credential(req.params.user_id, req.params.access);
    return reply.code(204).send();
  });
}
