import { Readable } from 'node:stream';
import { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RequestContext } from '../context';
import {
  GlanceConnectionFailed, ImageBadRequest, ImageConflict, ImageNotAuthorized, ImageNotFound, ImageQuotaExceeded, ImageUnacceptable, NovaError,
} from '../exception';
import { Logger } from '../lib/log';
import { Image, ImageService } from './api';

/** Keys of a Glance image body that are attributes or links, not custom properties. */
const NOT_PROPERTIES = new Set(['id', 'name', 'status', 'visibility', 'owner', 'disk_format', 'container_format', 'size', 'virtual_size',
  'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram', 'protected', 'tags', 'created_at', 'updated_at', 'os_hidden',
  'self', 'file', 'schema', 'locations', 'direct_url', 'stores']);
/** Base attributes a caller may write (create or PATCH replace). */
const WRITABLE = ['name', 'visibility', 'owner', 'disk_format', 'container_format', 'min_disk', 'min_ram', 'protected', 'tags'] as const;

export interface GlanceClientOptions {
  /** Candidate endpoints (no path, or a path prefix before /v2); tried in turn on retries. */
  endpoints: () => Promise<string[]>;
  token: (ctx: RequestContext) => Promise<string>;
  /** [glance] num_retries: extra attempts on connection errors and 5xx answers. */
  retries: number;
  log: Logger;
  retryDelayMs?: number;
  /** Images asked for per page when listing (default 100). */
  pageSize?: number;
}

interface CallOptions {
  body?: string | Buffer | NodeJS.ReadableStream;
  contentType?: string;
  imageId?: string;
  /** Statuses that are answers, not errors. */
  ok?: number[];
}

/** Converts a Glance v2 image body to the Image the rest of Nova uses. */
export function imageFromGlance(b: Record<string, unknown>): Image {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) if (!NOT_PROPERTIES.has(k)) properties[k] = v === null ? '' : String(v);
  return {
    id: String(b.id), name: (b.name as string | null) ?? null, status: b.status as Image['status'], visibility: b.visibility as Image['visibility'],
    owner: (b.owner as string | null) ?? null, disk_format: (b.disk_format as string | null) ?? null,
    container_format: (b.container_format as string | null) ?? null, size: (b.size as number | null) ?? null,
    virtual_size: (b.virtual_size as number | null) ?? null, checksum: (b.checksum as string | null) ?? null,
    os_hash_algo: (b.os_hash_algo as string | null) ?? null, os_hash_value: (b.os_hash_value as string | null) ?? null,
    min_disk: Number(b.min_disk ?? 0), min_ram: Number(b.min_ram ?? 0), protected: !!b.protected, tags: (b.tags as string[]) ?? [],
    created_at: String(b.created_at), updated_at: String(b.updated_at), properties,
  };
}

/** The message of a Glance (webob JSON) or keystonemiddleware error body. */
function glanceMessage(text: string, status: number): string {
  try {
    const b = JSON.parse(text) as Record<string, unknown>;
    const inner = (b.error as Record<string, unknown> | undefined)?.message ?? b.message;
    if (typeof inner === 'string' && inner) return inner.replace(/<br \/>/g, '').trim();
  } catch { /* not JSON */ }
  return text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() || `HTTP ${status}`;
}

function errorFor(status: number, message: string, imageId: string | undefined): NovaError {
  const image_id = imageId ?? '(none)';
  if (status === 404) return new ImageNotFound({ image_id });
  if (status === 401 || status === 403) return new ImageNotAuthorized({ image_id, reason: message }, message);
  if (status === 400) return new ImageBadRequest({ image_id, response: message }, message);
  if (status === 409) return new ImageConflict({ image_id, reason: message }, message);
  if (status === 413) return new ImageQuotaExceeded({ image_id, reason: message }, message);
  return new NovaError({ code: status }, `Image service answered ${status}: ${message}`);
}

const isStream = (b: unknown): b is NodeJS.ReadableStream => !!b && typeof (b as NodeJS.ReadableStream).pipe === 'function';

/**
 * An ImageService over the Image API v2: the built-in service or a real Glance. Calls carry the
 * caller's token (else the service token), retry connection errors and 5xx answers on the next
 * endpoint up to [glance] num_retries times (uploads of a stream cannot be replayed), and turn
 * Glance's errors into Nova's.
 */
export class GlanceImageService implements ImageService {
  constructor(private o: GlanceClientOptions) {}

  private async call(ctx: RequestContext, method: string, path: string, c: CallOptions = {}): Promise<Response> {
    const endpoints = await this.o.endpoints();
    const token = await this.o.token(ctx);
    const attempts = isStream(c.body) ? 1 : this.o.retries + 1;
    let lastFailure = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      const base = endpoints[attempt % endpoints.length];
      const headers: Record<string, string> = { 'x-auth-token': token, accept: 'application/json', 'x-openstack-request-id': ctx.request_id };
      if (c.contentType) headers['content-type'] = c.contentType;
      let res: Response;
      try {
        const body = isStream(c.body) ? (c.body as unknown as AsyncIterable<Uint8Array>) : c.body;
        res = await fetch(base + path, { method, headers, body: body as never, duplex: 'half' } as RequestInit);
      } catch (e) {
        lastFailure = `${base}: ${(e as Error).cause ? String(((e as Error).cause as Error).message ?? (e as Error).cause) : (e as Error).message}`;
        this.o.log.warn(`image service call ${method} ${path} failed (attempt ${attempt + 1}/${attempts}): ${lastFailure}`);
        if (attempt + 1 < attempts) await new Promise((r) => setTimeout(r, this.o.retryDelayMs ?? 500));
        continue;
      }
      if (res.ok || c.ok?.includes(res.status)) return res;
      const text = await res.text();
      if (res.status >= 500 && attempt + 1 < attempts) {
        lastFailure = `${base}: HTTP ${res.status}`;
        this.o.log.warn(`image service call ${method} ${path} answered ${res.status} (attempt ${attempt + 1}/${attempts})`);
        await new Promise((r) => setTimeout(r, this.o.retryDelayMs ?? 500));
        continue;
      }
      throw errorFor(res.status, glanceMessage(text, res.status), c.imageId);
    }
    throw new GlanceConnectionFailed({ server: endpoints.join(', '), reason: `${lastFailure} (check [glance] api_servers or that the image daemon runs)` });
  }

  private async json(ctx: RequestContext, method: string, path: string, c: CallOptions = {}): Promise<Record<string, unknown>> {
    const res = await this.call(ctx, method, path, c);
    return (await res.json()) as Record<string, unknown>;
  }

  async get(ctx: RequestContext, id: string): Promise<Image> {
    return imageFromGlance(await this.json(ctx, 'GET', `/v2/images/${encodeURIComponent(id)}`, { imageId: id }));
  }

  /** Every image matching `filters` (Glance query parameters); follows pages up to `limit` if given. */
  async list(ctx: RequestContext, filters: Record<string, string> = {}): Promise<Image[]> {
    const want = filters.limit !== undefined ? Number(filters.limit) : Infinity;
    const pageSize = this.o.pageSize ?? 100;
    const out: Image[] = [];
    const params = new URLSearchParams({ ...filters, limit: String(Math.min(want, pageSize)) });
    for (;;) {
      const page = await this.json(ctx, 'GET', `/v2/images?${params}`);
      const images = (page.images as Array<Record<string, unknown>>).map(imageFromGlance);
      out.push(...images);
      if (out.length >= want || !page.next || images.length === 0) break;
      params.set('marker', new URL(String(page.next), 'http://x').searchParams.get('marker') ?? images[images.length - 1].id);
      params.set('limit', String(Math.min(want - out.length, pageSize)));
    }
    return out.slice(0, want);
  }

  async create(ctx: RequestContext, meta: Partial<Image> & { name: string }): Promise<Image> {
    const body: Record<string, unknown> = { ...meta.properties };
    for (const k of [...WRITABLE, 'id'] as const) if (meta[k] !== undefined) body[k] = meta[k];
    return imageFromGlance(await this.json(ctx, 'POST', '/v2/images', { body: JSON.stringify(body), contentType: 'application/json' }));
  }

  /** Sets base attributes and custom properties (`changes.properties`), and removes `removeProps` that exist. */
  async update(ctx: RequestContext, id: string, changes: Partial<Image>, removeProps: string[] = []): Promise<Image> {
    const ops: Array<Record<string, unknown>> = [];
    for (const k of WRITABLE) if (changes[k] !== undefined) ops.push({ op: 'replace', path: `/${k}`, value: changes[k] });
    for (const [k, v] of Object.entries(changes.properties ?? {})) ops.push({ op: 'add', path: `/${pointer(k)}`, value: v });
    if (removeProps.length) {
      const current = await this.get(ctx, id);
      for (const k of removeProps) if (k in current.properties && !(k in (changes.properties ?? {}))) ops.push({ op: 'remove', path: `/${pointer(k)}` });
    }
    if (ops.length === 0) return this.get(ctx, id);
    return imageFromGlance(await this.json(ctx, 'PATCH', `/v2/images/${encodeURIComponent(id)}`, {
      body: JSON.stringify(ops), contentType: 'application/openstack-images-v2.1-json-patch', imageId: id,
    }));
  }

  async upload(ctx: RequestContext, id: string, data: NodeJS.ReadableStream | Buffer): Promise<void> {
    await this.call(ctx, 'PUT', `/v2/images/${encodeURIComponent(id)}/file`, { body: data, contentType: 'application/octet-stream', imageId: id });
  }

  async download(ctx: RequestContext, id: string): Promise<NodeJS.ReadableStream> {
    const res = await this.call(ctx, 'GET', `/v2/images/${encodeURIComponent(id)}/file`, { imageId: id });
    if (res.status === 204 || !res.body) throw new ImageUnacceptable({ image_id: id, reason: 'Image has no associated data' });
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.call(ctx, 'DELETE', `/v2/images/${encodeURIComponent(id)}`, { imageId: id });
  }
}

/** A JSON pointer token for a property name. */
function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
