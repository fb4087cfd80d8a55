import { APIVersion } from '../../api/microversion';
import { HttpMethod, HttpResponse } from '../http';
import { ApiSession, Query } from '../session';

/** What the resource APIs need of the compute client: calls at its microversion. */
export interface ComputeCaller {
  readonly version: APIVersion;
  readonly session: ApiSession;
  call<T = unknown>(method: HttpMethod, path: string, opts?: { query?: Query; body?: unknown }): Promise<HttpResponse<T>>;
  /** True when the negotiated microversion is within [min, max]. */
  supports(min: string, max?: string): boolean;
}

/** `encodeURIComponent` for a path segment taken from the user (names, tags, keys). */
export const seg = (s: string | number): string => encodeURIComponent(String(s));
