import { createHash } from 'node:crypto';
import { makeContext, RequestContext } from '../context';
import { v3Url } from '../identity/remote';
import { tokenInfoFromBody, TokenBody } from '../identity/token_info';
import { Ec2Authenticator } from './credentials';
import { Ec2Error } from './errors';
import { ParsedSignature, SignedRequest } from './signature';

/**
 * Access keys kept by a real Keystone ([keystone_authtoken] auth_url): the request's signature
 * fields go to `POST /v3/ec2tokens`, which checks the signature with the secret only it knows and
 * answers a token for the key's user and project (Nova's EC2KeystoneAuth sent the same fields: for
 * SigV4 no params, since the signature covers the headers and the body hash).
 */
export class KeystoneEc2Authenticator implements Ec2Authenticator {
  private readonly url: string;

  constructor(authUrl: string) {
    this.url = `${v3Url(authUrl)}/ec2tokens`;
  }

  async authenticate(sig: ParsedSignature, req: SignedRequest, requestId: string, remoteAddress: string): Promise<RequestContext> {
    const params = sig.version === 4 ? {} : Object.fromEntries(Object.entries(req.params).filter(([k]) => k !== 'Signature'));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v!]));
    const credentials = {
      access: sig.accessKey, signature: sig.signature, host: headers.host ?? '', verb: req.method, path: req.path || '/', params, headers,
      body_hash: createHash('sha256').update(typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body).digest('hex'),
    };
    let res: Response;
    try {
      res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credentials }) });
    } catch (e) {
      throw new Ec2Error('InternalError', `The Identity service at ${this.url} cannot be reached: ${(e as Error).message}`, 503);
    }
    if (res.status === 401 || res.status === 403 || res.status === 404) {
      throw new Ec2Error('AuthFailure', `AWS was not able to validate the provided access credentials: the Identity service refused access key ${sig.accessKey} or its signature (${res.status}).`, 401);
    }
    if (res.status !== 200 && res.status !== 201) throw new Ec2Error('InternalError', `The Identity service at ${this.url} answered ${res.status} to an EC2 token request.`, 503);
    const token = res.headers.get('x-subject-token');
    const info = tokenInfoFromBody(await res.json() as TokenBody);
    if (!token || !info.project_id) throw new Ec2Error('AuthFailure', `The Identity service issued no project-scoped token for access key ${sig.accessKey}.`, 401);
    return makeContext({
      request_id: requestId, user_id: info.user_id, user_name: info.user_name, project_id: info.project_id, project_name: info.project_name,
      roles: info.roles, is_admin: info.roles.map((r) => r.toLowerCase()).includes('admin'), auth_token: token, remote_address: remoteAddress,
    });
  }
}
