import { NovaError } from '../exception';

/** Nova's fault names by HTTP status (nova/api/openstack/wsgi.py Fault). */
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'itemNotFound', 405: 'badMethod',
  409: 'conflictingRequest', 413: 'overLimit', 415: 'badMediaType', 429: 'overLimit', 501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function faultBody(code: number, message: string): Record<string, { code: number; message: string }> {
  return { [FAULT_NAMES[code] ?? 'computeFault']: { code, message } };
}

/** An error that maps straight to an HTTP answer with Nova's body. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (m: string) => new HttpError(400, m);
export const forbidden = (m: string) => new HttpError(403, m);
export const notFound = (m: string) => new HttpError(404, m);
export const conflict = (m: string) => new HttpError(409, m);

/** The status and message an error answers with; unexpected errors become 500 with a generic text. */
export function errorToHttp(e: unknown): { status: number; message: string; headers?: Record<string, string> } {
  if (e instanceof HttpError) return { status: e.status, message: e.message, headers: e.headers };
  if (e instanceof NovaError) return { status: e.code >= 400 && e.code < 600 ? e.code : 500, message: e.message };
  const fastifyStatus = (e as { statusCode?: number })?.statusCode;
  if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { status: fastifyStatus, message: (e as Error).message };
  }
  return {
    status: 500,
    message: 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n' +
      `<class '${(e as Error)?.name ?? 'Error'}'>`,
  };
}
