import { createHash } from 'node:crypto';
import { makeContext, RequestContext } from '../context';
import { KeystoneClient } from '../identity/remote';
import { fetchClosing } from '../lib/fetch_closing';
import { ServiceTokenSource } from '../identity/service_token';
import { tokenInfoFromBody, TokenBody } from '../identity/token_info';
import { Ec2Authenticator } from './credentials';
import { Ec2Error } from './errors';
import { ParsedSignature, SignedRequest } from './signature';

/**
 * `x-amz-date` -> `X-Amz-Date`: header names as a WSGI server hands them to Python. Keystone's signer
 * (keystoneclient's Ec2Signer) looks up `Authorization` and `X-Amz-Date` with exactly that case and
 * takes a request without them for an unknown signature format.
 */
export function wsgiHeaderName(name: string): string {
  return name.split('-').map((w) => (w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w)).join('-');
}

function authFailure(access: string, status: number): Ec2Error {
  return new Ec2Error('AuthFailure', `AWS was not able to validate the provided access credentials: the Identity service refused access key ${access} or its signature (${status}).`, 401);
}

/**
 * Access keys kept by a real Keystone ([keystone_authtoken] auth_url): the request's signature
 * fields go to `POST /v3/ec2tokens`, which checks the signature with the secret only it knows and
 * answers a token for the key's user and project (Nova's EC2KeystoneAuth sent the same fields: for
 * SigV4 no params, since the signature covers the headers and the body hash). Keystone serves
 * ec2tokens only to a service user or an admin (policy identity:ec2tokens_validate since the fix for
 * unauthenticated ec2tokens/s3tokens, in Debian's 2:22.0.2), so the call carries the nova user's token.
 */
export class KeystoneEc2Authenticator implements Ec2Authenticator {
  private readonly keystone: KeystoneClient;
  private readonly url: string;

  constructor(authUrl: string, private serviceTokens: ServiceTokenSource) {
    this.keystone = new KeystoneClient(authUrl);
    this.url = `${this.keystone.url}/ec2tokens`;
  }

  async authenticate(sig: ParsedSignature, req: SignedRequest, requestId: string, remoteAddress: string): Promise<RequestContext> {
    const params = sig.version === 4 ? {} : Object.fromEntries(Object.entries(req.params).filter(([k]) => k !== 'Signature'));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => v !== undefined)
      .map(([k, v]) => [wsgiHeaderName(k), Array.isArray(v) ? v.join(',') : v!]));
    const credentials = {
      access: sig.accessKey, signature: sig.signature, host: headers.Host ?? '', verb: req.method, path: req.path || '/', params, headers,
      body_hash: createHash('sha256').update(typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body).digest('hex'),
    };
    const ours = await this.serviceTokens.get();
    let res = await this.ask(credentials, ours);
    if (res.status === 401) {
      await res.arrayBuffer().catch(() => undefined);
      // Keystone's 401 reads the same for a bad signature and for a refused service token: tell them apart.
      if ((await this.keystone.validate(ours, ours)) !== 'service-token-refused') throw authFailure(sig.accessKey, 401);
      this.serviceTokens.invalidate(ours);
      res = await this.ask(credentials, await this.serviceTokens.get());
    }
    if (res.status === 403) {
      throw new Ec2Error('InternalError', `The Identity service at ${this.url} refuses the service user's EC2 token requests (403): ` +
        'give the [keystone_authtoken] user the service or admin role on its project.', 503);
    }
    if (res.status === 401 || res.status === 404) throw authFailure(sig.accessKey, res.status);
    if (res.status !== 200 && res.status !== 201) throw new Ec2Error('InternalError', `The Identity service at ${this.url} answered ${res.status} to an EC2 token request.`, 503);
    const token = res.headers.get('x-subject-token');
    const info = tokenInfoFromBody(await res.json() as TokenBody);
    if (!token || !info.project_id) throw new Ec2Error('AuthFailure', `The Identity service issued no project-scoped token for access key ${sig.accessKey}.`, 401);
    return makeContext({
      request_id: requestId, user_id: info.user_id, user_name: info.user_name, project_id: info.project_id, project_name: info.project_name,
      roles: info.roles, is_admin: info.roles.map((r) => r.toLowerCase()).includes('admin'), auth_token: token, remote_address: remoteAddress,
    });
  }

  private async ask(credentials: unknown, serviceToken: string): Promise<Response> {
    try {
      return await fetchClosing(this.url, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': serviceToken }, body: JSON.stringify({ credentials }),
      });
    } catch (e) {
      throw new Ec2Error('InternalError', `The Identity service at ${this.url} cannot be reached: ${(e as Error).message}`, 503);
    }
  }
}
