import { randomUUID } from 'node:crypto';

/** Who asks and on whose behalf; travels with every API request and RPC message. */
export interface RequestContext {
  request_id: string;
  global_request_id?: string;
  user_id: string | null;
  project_id: string | null;
  user_name?: string;
  project_name?: string;
  domain_id?: string;
  roles: string[];
  is_admin: boolean;
  /** Token of the caller, so services can act on their behalf (image service, etc.). */
  auth_token?: string;
  /** 'no' (default), 'yes' or 'only': whether soft-deleted rows are visible. */
  read_deleted?: 'no' | 'yes' | 'only';
  remote_address?: string;
}

export function newRequestId(): string {
  return `req-${randomUUID()}`;
}

export function makeContext(partial: Partial<RequestContext> = {}): RequestContext {
  const roles = partial.roles ?? [];
  return {
    request_id: partial.request_id ?? newRequestId(),
    user_id: partial.user_id ?? null,
    project_id: partial.project_id ?? null,
    roles,
    is_admin: partial.is_admin ?? roles.includes('admin'),
    ...partial,
  };
}

/** A context for the services themselves (periodic tasks, heartbeats). */
export function adminContext(extra: Partial<RequestContext> = {}): RequestContext {
  return makeContext({ roles: ['admin'], is_admin: true, read_deleted: 'no', ...extra });
}

/** The context without secrets, for logs and notifications. */
export function redactContext(ctx: RequestContext): Omit<RequestContext, 'auth_token'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { auth_token, ...rest } = ctx;
  return rest;
}
