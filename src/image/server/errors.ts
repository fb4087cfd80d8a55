import { STATUS_CODES } from 'node:http';

/**
 * An HTTP error of the Image service. Glance answers errors the way webob renders them: HTML for
 * browsers and for clients that accept anything (python-glanceclient strips the tags), JSON
 * `{"message", "code", "title"}` for clients that ask for JSON (openstacksdk, keystoneauth), plain
 * text otherwise.
 */
export class GlanceError extends Error {
  constructor(readonly status: number, readonly explanation: string, readonly headers: Record<string, string> = {}) {
    super(explanation);
    this.name = 'GlanceError';
  }
}

export const badRequest = (m: string) => new GlanceError(400, m);
export const forbidden = (m: string) => new GlanceError(403, m);
export const notFound = (m: string) => new GlanceError(404, m);
export const conflict = (m: string) => new GlanceError(409, m);
export const tooLarge = (m: string) => new GlanceError(413, m);

type Rendered = 'text/html' | 'application/json' | 'text/plain';

/** webob's choice between HTML and JSON by the Accept header (highest q wins, HTML on a tie). */
export function negotiateErrorType(accept: string | undefined): Rendered {
  if (!accept || !accept.trim()) return 'text/html';
  const ranges = accept.split(',').map((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const quality = (offer: string) => {
    const [major] = offer.split('/');
    const exact = ranges.find((r) => r.type === offer) ?? ranges.find((r) => r.type === `${major}/*`) ?? ranges.find((r) => r.type === '*/*');
    return exact && !Number.isNaN(exact.q) ? exact.q : 0;
  };
  const html = quality('text/html');
  const json = quality('application/json');
  if (html <= 0 && json <= 0) return 'text/plain';
  return json > html ? 'application/json' : 'text/html';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The body of an error answer for this Accept header. */
export function renderError(status: number, explanation: string, accept: string | undefined): { type: string; body: string } {
  const title = STATUS_CODES[status] ?? 'Error';
  const statusLine = `${status} ${title}`;
  const type = negotiateErrorType(accept);
  if (type === 'application/json') return { type: 'application/json', body: JSON.stringify({ message: explanation, code: statusLine, title }) };
  if (type === 'text/plain') return { type: 'text/plain; charset=UTF-8', body: `${statusLine}\n\n${explanation}\n\n` };
  const body = `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${escapeHtml(explanation)}<br /><br />\n\n\n\n </body>\n</html>`;
  return { type: 'text/html; charset=UTF-8', body };
}
