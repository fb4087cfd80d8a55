import { Command, Flags } from '@oclif/core';

// TEMPORARY, for the integrator: the x509 commands were written while the shared client framework
// (src/client/, src/cli/client_command.ts) was being built in parallel. This file is the minimum they
// need: an endpoint and a token from flags or the environment, one JSON request, and python-novaclient's
// error lines. Once the shared client base lands, make the x509 commands extend it, call its compute
// client instead of `computeRequest`, and delete this file.

export const directComputeFlags = {
  'os-endpoint-override': Flags.string({
    description: 'Compute API endpoint, e.g. http://controller:8774/v2.1.', env: 'OS_COMPUTE_URL', helpGroup: 'CONNECTION',
  }),
  'os-token': Flags.string({ description: 'Token to authenticate with.', env: 'OS_TOKEN', helpGroup: 'CONNECTION' }),
};

export interface DirectConnection {
  'os-endpoint-override'?: string;
  'os-token'?: string;
}

/** python-novaclient's exception names by status, as its shell prints them. */
const NOVACLIENT_ERRORS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
  409: 'Conflict', 413: 'OverLimit', 429: 'RateLimit', 501: 'HTTPNotImplemented',
};

/** An error the shell reports as one `ERROR (Name): message` line, as python-novaclient does. */
export class ClientCommandError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = kind;
  }
}

/** Sends one request to the Compute API and returns its JSON body; a fault becomes a ClientCommandError. */
export async function computeRequest<T>(conn: DirectConnection, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const endpoint = conn['os-endpoint-override'];
  const token = conn['os-token'];
  if (!endpoint) throw new ClientCommandError('CommandError', 'no Compute API endpoint: pass --os-endpoint-override or set OS_COMPUTE_URL');
  if (!token) throw new ClientCommandError('CommandError', 'no token: pass --os-token or set OS_TOKEN');
  const url = endpoint.replace(/\/+$/, '') + path;
  let res: Response;
  try {
    res = await fetch(url, {
      method, headers: { 'x-auth-token': token, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new ClientCommandError('ConnectionRefused', `Unable to establish connection to ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON: reported below */ }
  if (!res.ok) {
    const fault = parsed && typeof parsed === 'object' ? Object.values(parsed as Record<string, { message?: string }>)[0] : undefined;
    const requestId = res.headers.get('x-openstack-request-id') ?? res.headers.get('x-compute-request-id');
    const message = fault?.message ?? (text.trim() || res.statusText);
    throw new ClientCommandError(NOVACLIENT_ERRORS[res.status] ?? 'ClientException',
      `${message} (HTTP ${res.status})${requestId ? ` (Request-ID: ${requestId})` : ''}`);
  }
  if (parsed === undefined) throw new ClientCommandError('ClientException', `${method} ${url} answered ${res.status} without a JSON body`);
  return parsed as T;
}

/** Base of the x509 commands: one `ERROR (Name): message` line and exit 1 on failure, never a stack trace. */
export abstract class DirectComputeCommand extends Command {
  protected fail(e: unknown): never {
    const kind = e instanceof ClientCommandError ? e.kind : 'CommandError';
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`ERROR (${kind}): ${msg}\n`);
    return this.exit(1);
  }
}

/** The certificate object os-certificates answers with. */
export interface CertificateBody {
  certificate: { data: string; private_key: string | null };
}
