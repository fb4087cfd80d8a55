import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { Ec2Error } from '../../src/ec2/errors';
import { parseQueryString } from '../../src/ec2/request';
import { parseSignature, SignedRequest } from '../../src/ec2/signature';

/*
 * Test vectors computed here, step by step from AWS's published algorithms (not through the code under
 * test): SigV4 (canonical request, string to sign, derived key) and SigV2 (HmacSHA256 over method, host,
 * path and the sorted parameters).
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const AMZ_DATE = '20261125T100000Z';
const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function v4Request(body: string, secret = SECRET, opts: { region?: string; date?: string; extraSigned?: boolean } = {}): SignedRequest {
  const region = opts.region ?? 'nova';
  const host = '127.0.0.1:8773';
  const ct = 'application/x-www-form-urlencoded; charset=utf-8';
  const names = opts.extraSigned ? 'content-type;host;x-amz-content-sha256;x-amz-date' : 'content-type;host;x-amz-date';
  const headerLines = opts.extraSigned
    ? `content-type:${ct}\nhost:${host}\nx-amz-content-sha256:${sha(body)}\nx-amz-date:${AMZ_DATE}\n`
    : `content-type:${ct}\nhost:${host}\nx-amz-date:${AMZ_DATE}\n`;
  const canonical = `POST\n/\n\n${headerLines}\n${names}\n${sha(body)}`;
  const scope = `20261125/${region}/ec2/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${AMZ_DATE}\n${scope}\n${sha(canonical)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, '20261125'), region), 'ec2'), 'aws4_request');
  const signature = hmac(key, toSign).toString('hex');
  return {
    method: 'POST', path: '/', query: '', body, params: parseQueryString(body),
    headers: {
      host, 'content-type': ct, 'x-amz-date': opts.date ?? AMZ_DATE, ...(opts.extraSigned ? { 'x-amz-content-sha256': sha(body) } : {}),
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/${scope}, SignedHeaders=${names}, Signature=${signature}`,
      'user-agent': 'not signed',
    },
  };
}

describe('EC2 signatures', () => {
  const body = 'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0000002a';

  it('accepts a SigV4 signature made with the secret, and reads key and region from the scope', () => {
    const sig = parseSignature(v4Request(body), NOW);
    assert.equal(sig.version, 4);
    assert.equal(sig.accessKey, 'AKID');
    assert.equal(sig.region, 'nova');
    assert.equal(sig.verify(SECRET), true);
    assert.equal(sig.verify('another secret'), false);
  });

  it('verifies with the headers the client signed (x-amz-content-sha256 too), not a fixed set', () => {
    assert.equal(parseSignature(v4Request(body, SECRET, { extraSigned: true }), NOW).verify(SECRET), true);
  });

  it('refuses a SigV4 request whose body was changed after signing', () => {
    const req = v4Request(body);
    req.body = body.replace('0000002a', '0000002b');
    assert.equal(parseSignature(req, NOW).verify(SECRET), false);
  });

  it('refuses a request 15 minutes or more away from the server clock (RequestExpired)', () => {
    assert.throws(() => parseSignature(v4Request(body), NOW + 16 * 60_000), (e: Ec2Error) => e.code === 'RequestExpired');
  });

  it('refuses an unsigned request with AuthFailure', () => {
    assert.throws(() => parseSignature({ method: 'GET', path: '/', query: 'Action=DescribeRegions', body: '', headers: {}, params: { Action: 'DescribeRegions' } }, NOW),
      (e: Ec2Error) => e.code === 'AuthFailure' && e.status === 401);
  });

  it('accepts a SigV2 HmacSHA256 signature over the sorted parameters', () => {
    const params: Record<string, string> = {
      Action: 'DescribeImages', Version: '2016-11-15', AWSAccessKeyId: 'AKID2', SignatureVersion: '2', SignatureMethod: 'HmacSHA256',
      Timestamp: '2026-11-25T10:00:00Z', 'Owner.1': 'self', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'a b/c*',
    };
    // Byte order of the encoded names: AWSAccessKeyId, Action, Filter.1.Name, Filter.1.Value.1, Owner.1, Signature..., Timestamp, Version
    const canonical = 'AWSAccessKeyId=AKID2&Action=DescribeImages&Filter.1.Name=name&Filter.1.Value.1=a%20b%2Fc%2A&Owner.1=self'
      + '&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2026-11-25T10%3A00%3A00Z&Version=2016-11-15';
    const signature = hmac(SECRET, `GET\nec2.example:8773\n/\n${canonical}`).toString('base64');
    const req: SignedRequest = { method: 'GET', path: '/', query: '', body: '', headers: { host: 'EC2.example:8773' }, params: { ...params, Signature: signature } };
    const sig = parseSignature(req, NOW);
    assert.equal(sig.version, 2);
    assert.equal(sig.accessKey, 'AKID2');
    assert.equal(sig.verify(SECRET), true);
    assert.equal(sig.verify('wrong'), false);
  });

  it('refuses other signature versions with InvalidParameterValue', () => {
    assert.throws(() => parseSignature({ method: 'GET', path: '/', query: '', body: '', headers: {}, params: { SignatureVersion: '1' } }, NOW),
      (e: Ec2Error) => e.code === 'InvalidParameterValue');
  });
});

describe('SigV4 canonical query', () => {
  it('keeps empty values empty (`?uploads` is `uploads=`)', async () => {
    const { canonicalQuery, uriEncode } = await import('../../src/ec2/signature');
    assert.equal(uriEncode(''), '');
    assert.equal(uriEncode('', true), '');
    assert.equal(uriEncode('a/b c'), 'a%2Fb%20c');
    assert.equal(uriEncode('a/b c', true), 'a/b%20c');
    assert.equal(canonicalQuery([['uploads', ''], ['Filter.1.Value.1', '']]), 'Filter.1.Value.1=&uploads=');
  });
});
