/** Small HTTP helpers for tests of the built-in Image service. */
export interface GlanceResponse { status: number; body: any; text: string; headers: Headers }

export function glanceClient(baseUrl: string) {
  return async function request(method: string, path: string, o: {
    token?: string; body?: unknown; raw?: Buffer | string; headers?: Record<string, string>; contentType?: string;
  } = {}): Promise<GlanceResponse> {
    const headers: Record<string, string> = { 'x-auth-token': o.token ?? 'admin:admin', accept: 'application/json', ...o.headers };
    let body: string | Buffer | undefined;
    if (o.raw !== undefined) { body = o.raw; headers['content-type'] = o.contentType ?? 'application/octet-stream'; }
    else if (o.body !== undefined) { body = JSON.stringify(o.body); headers['content-type'] = o.contentType ?? 'application/json'; }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
}

export const JSON_PATCH = 'application/openstack-images-v2.1-json-patch';
