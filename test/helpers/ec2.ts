import { createHash, createHmac } from 'node:crypto';

/**
 * A small EC2 Query client for tests, written from AWS's published signing steps (independent of
 * src/ec2/signature.ts): SigV4 form POSTs as aws-cli signs them, and SigV2 GETs as the Perl client does.
 */
const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface Ec2Answer { status: number; body: string; code?: string }

function answer(status: number, body: string): Ec2Answer {
  return { status, body, code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1] };
}

export async function ec2PostV4(url: string, access: string, secret: string, params: Record<string, string>, region = 'nova'): Promise<Ec2Answer> {
  const body = Object.entries({ Version: '2016-11-15', ...params }).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const host = new URL(url).host;
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const day = amzDate.slice(0, 8);
  const ct = 'application/x-www-form-urlencoded; charset=utf-8';
  const canonical = `POST\n/\n\ncontent-type:${ct}\nhost:${host}\nx-amz-date:${amzDate}\n\ncontent-type;host;x-amz-date\n${sha(body)}`;
  const scope = `${day}/${region}/ec2/aws4_request`;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 'ec2'), 'aws4_request');
  const signature = hmac(key, `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha(canonical)}`).toString('hex');
  const res = await fetch(`${url}/`, {
    method: 'POST', body,
    headers: { 'content-type': ct, 'x-amz-date': amzDate, authorization: `AWS4-HMAC-SHA256 Credential=${access}/${scope}, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}` },
  });
  return answer(res.status, await res.text());
}

export async function ec2GetV2(url: string, access: string, secret: string, params: Record<string, string>): Promise<Ec2Answer> {
  const all: Record<string, string> = {
    Version: '2016-11-15', AWSAccessKeyId: access, SignatureVersion: '2', SignatureMethod: 'HmacSHA256', Timestamp: new Date().toISOString(), ...params,
  };
  const query = Object.keys(all).sort().map((k) => `${rfc3986(k)}=${rfc3986(all[k])}`).join('&');
  const signature = hmac(secret, `GET\n${new URL(url).host}\n/\n${query}`).toString('base64');
  const res = await fetch(`${url}/?${query}&Signature=${rfc3986(signature)}`);
  return answer(res.status, await res.text());
}
