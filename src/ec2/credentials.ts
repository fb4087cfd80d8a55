import { makeContext, RequestContext } from '../context';
import { findEc2CredentialByAccess } from '../identity/ec2';
import { tokenInfoOf } from '../identity/token_info';
import { issueToken, TokenInvalid } from '../identity/tokens';
import { Ec2Error } from './errors';
import { ParsedSignature, SignedRequest } from './signature';

/** Turns a signed request into the caller's context, or throws EC2's AuthFailure/SignatureDoesNotMatch. */
export interface Ec2Authenticator {
  authenticate(sig: ParsedSignature, req: SignedRequest, requestId: string, remoteAddress: string): Promise<RequestContext>;
}

/** How long a token issued for an access key is reused (role and credential changes show within this). */
const TOKEN_REUSE_MS = 60_000;

/**
 * EC2 credentials of the built-in Identity (same database): the access key names the user, project
 * and secret; a good signature gets a token issued for that user and project, as Keystone's
 * /v3/ec2tokens does, so the Image service and policy see the user's roles.
 */
export class BuiltinEc2Authenticator implements Ec2Authenticator {
  private tokens = new Map<string, { ctx: Omit<RequestContext, 'request_id' | 'remote_address'>; until: number }>();

  async authenticate(sig: ParsedSignature, _req: SignedRequest, requestId: string, remoteAddress: string): Promise<RequestContext> {
    const cred = await findEc2CredentialByAccess(sig.accessKey);
    if (!cred) throw new Ec2Error('AuthFailure', `AWS was not able to validate the provided access credentials: access key ${sig.accessKey} is unknown (create one with 'openstack ec2 credentials create').`, 401);
    if (!sig.verify(cred.secret)) {
      throw new Ec2Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.', 403);
    }
    const hit = this.tokens.get(cred.access);
    if (hit && hit.until > Date.now()) return { ...hit.ctx, request_id: requestId, remote_address: remoteAddress };
    let issued;
    try {
      issued = await issueToken({ userId: cred.user_id, projectId: cred.project_id, methods: ['ec2credential'], expiresAt: new Date(Date.now() + 3600_000) });
    } catch (e) {
      if (e instanceof TokenInvalid) throw new Ec2Error('AuthFailure', `The credentials of access key ${sig.accessKey} grant nothing: ${e.message}.`, 401);
      throw e;
    }
    const info = tokenInfoOf(issued.token);
    const ctx = makeContext({
      request_id: requestId, user_id: info.user_id, user_name: info.user_name, project_id: info.project_id, project_name: info.project_name,
      roles: info.roles, is_admin: info.roles.map((r) => r.toLowerCase()).includes('admin'), auth_token: issued.text, remote_address: remoteAddress,
    });
    this.tokens.set(cred.access, { ctx, until: Date.now() + TOKEN_REUSE_MS });
    return ctx;
  }
}

