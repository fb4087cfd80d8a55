import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Ec2Error } from '../../src/ec2/errors';
import { KeystoneEc2Authenticator, wsgiHeaderName } from '../../src/ec2/keystone_auth';
import { ServiceTokenSource } from '../../src/identity/service_token';
import { ParsedSignature, SignedRequest } from '../../src/ec2/signature';

/**
 * The real-Keystone path: what goes to /v3/ec2tokens, and how its answers become a context or
 * AuthFailure. The stand-in behaves as Debian's Keystone 2:22.0.2 was measured to: ec2tokens only
 * for a valid service token (401 without), the same 401 for an unknown key as for a bad signature.
 * test/integration/identity/real_keystone.test.ts runs the same path against the real one.
 */
describe('EC2 access keys through Keystone /v3/ec2tokens', () => {
  let server: http.Server;
  let authUrl = '';
  const received: Array<{ url: string; body: any; token?: string }> = [];
  const validServiceTokens = new Set(['svc-1']);
  let issued = 0;
  const tokens = () => new ServiceTokenSource(async () => {
    issued += 1;
    validServiceTokens.add(`svc-${issued}`);
    return { token: `svc-${issued}`, expiresAt: new Date(Date.now() + 3600_000) };
  });

  before(async () => {
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => { text += d; });
      req.on('end', () => {
        const token = req.headers['x-auth-token'] as string | undefined;
        const serviceOk = !!token && validServiceTokens.has(token);
        if (req.method === 'GET') { // GET /v3/auth/tokens: is the service token still good?
          res.writeHead(serviceOk ? 200 : 401, { 'content-type': 'application/json' })
            .end(JSON.stringify(serviceOk ? { token: { expires_at: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'nova' } } } : { error: { code: 401 } }));
          return;
        }
        const body = JSON.parse(text);
        received.push({ url: req.url ?? '', body, token });
        if (!serviceOk || body.credentials?.access !== 'AK1') {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 401, message: 'The request you have made requires authentication.' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-subject-token': 'tok-ec2' }).end(JSON.stringify({
          token: {
            expires_at: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'u1', name: 'alice', domain: { id: 'default' } },
            project: { id: 'p1', name: 'demo', domain: { id: 'default' } }, roles: [{ name: 'member' }, { name: 'reader' }],
          },
        }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    authUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const body = 'Action=DescribeInstances&Version=2016-11-15';
  const req: SignedRequest = {
    method: 'POST', path: '/', query: '', body, params: { Action: 'DescribeInstances', Version: '2016-11-15' },
    headers: { host: '127.0.0.1:8773', 'x-amz-date': '20261125T100000Z', authorization: 'AWS4-HMAC-SHA256 Credential=AK1/...' },
  };
  const sig = (access: string, version: 2 | 4 = 4): ParsedSignature => ({ version, accessKey: access, signature: 'c0ffee', verify: () => { throw new Error('not ours to check'); } });

  it('writes header names as WSGI does', () => {
    assert.deepEqual(['x-amz-date', 'authorization', 'content-type', 'host', 'X-AMZ-CONTENT-SHA256'].map(wsgiHeaderName),
      ['X-Amz-Date', 'Authorization', 'Content-Type', 'Host', 'X-Amz-Content-Sha256']);
  });

  it('forwards the signature fields with the service token (SigV4: no params, the body hash) and makes the context from the token', async () => {
    issued = 0;
    const ctx = await new KeystoneEc2Authenticator(`${authUrl}/v3/`, tokens()).authenticate(sig('AK1'), req, 'req-1', '127.0.0.9');
    const sent = received.at(-1)!;
    assert.equal(sent.url, '/v3/ec2tokens');
    assert.equal(sent.token, 'svc-1');
    assert.deepEqual(sent.body.credentials, {
      access: 'AK1', signature: 'c0ffee', host: '127.0.0.1:8773', verb: 'POST', path: '/', params: {},
      headers: { Host: '127.0.0.1:8773', 'X-Amz-Date': '20261125T100000Z', Authorization: 'AWS4-HMAC-SHA256 Credential=AK1/...' },
      body_hash: createHash('sha256').update(body).digest('hex'),
    });
    assert.deepEqual([ctx.user_id, ctx.project_id, ctx.roles, ctx.is_admin, ctx.auth_token, ctx.request_id], ['u1', 'p1', ['member', 'reader'], false, 'tok-ec2', 'req-1']);
  });

  it('sends SigV2 parameters without the Signature', async () => {
    const v2 = { ...req, params: { ...req.params, AWSAccessKeyId: 'AK1', Signature: 'c0ffee', SignatureVersion: '2' } };
    await new KeystoneEc2Authenticator(authUrl, tokens()).authenticate(sig('AK1', 2), v2, 'req-2', '');
    assert.deepEqual(received.at(-1)!.body.credentials.params, { Action: 'DescribeInstances', Version: '2016-11-15', AWSAccessKeyId: 'AK1', SignatureVersion: '2' });
  });

  it("turns Keystone's refusal into AuthFailure, keeping a service token that is still good", async () => {
    issued = 0;
    const source = tokens();
    const auth = new KeystoneEc2Authenticator(authUrl, source);
    await assert.rejects(auth.authenticate(sig('nobody'), req, 'req-3', ''),
      (e: Ec2Error) => e.code === 'AuthFailure' && e.status === 401 && /nobody/.test(e.message));
    assert.equal(await source.get(), 'svc-1');
  });

  it('gets a new service token when Keystone revoked the one it had, and asks again', async () => {
    issued = 0;
    const source = tokens();
    await source.get();
    validServiceTokens.delete('svc-1');
    const ctx = await new KeystoneEc2Authenticator(authUrl, source).authenticate(sig('AK1'), req, 'req-4', '');
    assert.equal(ctx.user_id, 'u1');
    assert.deepEqual(received.slice(-2).map((r) => r.token), ['svc-1', 'svc-2']);
  });
});
