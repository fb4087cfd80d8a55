/**
 * What the client raises. The CLI prints every one as novaclient does: `ERROR (<name>): <message>`,
 * so `name` is the class name users already know from python-novaclient.
 */
export class ClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mistake in how a command was called, or a lookup that found nothing or too much. */
export class CommandError extends ClientError {}

/** The version asked for is outside what the server or this client supports. */
export class UnsupportedVersion extends ClientError {}

/** Nothing answered at the URL: wrong URL, or the cloud is not running. */
export class ConnectFailure extends ClientError {
  constructor(readonly url: string, cause: string) {
    super(`Unable to establish connection to ${url}: ${cause}. Check --os-auth-url / OS_AUTH_URL ` +
      '(or --os-endpoint-override) and that the cloud is running (`npm start`).');
  }
}

/** novaclient's names and default messages for HTTP error statuses (novaclient.exceptions). */
const BY_STATUS: Record<number, [name: string, message: string]> = {
  400: ['BadRequest', 'Bad request'], 401: ['Unauthorized', 'Unauthorized'], 403: ['Forbidden', 'Forbidden'],
  404: ['NotFound', 'Not found'], 405: ['MethodNotAllowed', 'Method Not Allowed'], 406: ['NotAcceptable', 'Not Acceptable'],
  409: ['Conflict', 'Conflict'], 413: ['OverLimit', 'Over limit'], 429: ['RateLimit', 'Rate limit'],
  501: ['HTTPNotImplemented', 'Not Implemented'],
};

export function defaultMessage(status: number): string {
  return BY_STATUS[status]?.[1] ?? 'Unknown Error';
}

/** An HTTP error answer of an OpenStack API, with the fault message and the request id. */
export class ApiError extends ClientError {
  constructor(
    readonly status: number,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
    readonly method: string,
    readonly url: string,
    readonly details?: string,
  ) {
    super(`${apiMessage} (HTTP ${status})${requestId ? ` (Request-ID: ${requestId})` : ''}`);
    this.name = BY_STATUS[status]?.[0] ?? 'ClientException';
  }

  get isNotFound(): boolean { return this.status === 404; }
}

/** The message of a fault body: Nova's `{"itemNotFound": {"message": ..}}`, Keystone's `{"error": {..}}`, or a bare one. */
export function faultMessage(body: unknown, fallback: string): { message: string; details?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { message: typeof body === 'string' && body ? body : fallback };
  const b = body as Record<string, unknown>;
  if (typeof b.message === 'string') return { message: b.message, details: typeof b.details === 'string' ? b.details : undefined };
  const first = b[Object.keys(b)[0]];
  if (first && typeof first === 'object') {
    const f = first as Record<string, unknown>;
    if (typeof f.message === 'string') return { message: f.message, details: typeof f.details === 'string' ? f.details : undefined };
  }
  return { message: fallback };
}

/** A polled resource went to ERROR. */
export class ResourceInErrorState extends ClientError {
  constructor(kind: string, fault?: string) {
    super(`\`${kind}\` resource is in the error state${fault ? ` due to '${fault}'` : ''}.`);
  }
}

/** A polled server was deleted while waiting. */
export class InstanceInDeletedState extends ClientError {}
