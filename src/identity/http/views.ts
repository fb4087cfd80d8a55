import {
  CatalogServiceRow, DomainRow, Ec2CredentialRow, EndpointRow, ProjectRow, RegionRow, RoleRow, UserRow,
} from '../../db/models/identity';
import { CatalogEntry } from '../catalog';
import { ValidatedToken } from '../tokens';

/** The JSON shapes of Keystone v3. `base` is this API's URL ending in /v3. */

/** Keystone's time format: microseconds and a Z. */
export function keystoneTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const self = (base: string, path: string) => ({ self: `${base}/${path}` });

export function collection(key: string, items: unknown[], selfUrl: string): Record<string, unknown> {
  return { [key]: items, links: { self: selfUrl, previous: null, next: null } };
}

export function domainView(d: DomainRow, base: string) {
  return { id: d.id, name: d.name, description: d.description ?? '', enabled: d.enabled, tags: [], options: {}, links: self(base, `domains/${d.id}`) };
}

export function projectView(p: ProjectRow, base: string) {
  return {
    ...p.extra, id: p.id, name: p.name, domain_id: p.domain_id, description: p.description ?? '', enabled: p.enabled,
    parent_id: p.parent_id ?? p.domain_id, is_domain: false, tags: p.tags, options: {}, links: self(base, `projects/${p.id}`),
  };
}

export function userView(u: UserRow, base: string) {
  return {
    ...u.extra, id: u.id, name: u.name, domain_id: u.domain_id, enabled: u.enabled,
    ...(u.default_project_id ? { default_project_id: u.default_project_id } : {}),
    password_expires_at: null, options: {}, links: self(base, `users/${u.id}`),
  };
}

export function roleView(r: RoleRow, base: string) {
  return { id: r.id, name: r.name, domain_id: r.domain_id || null, description: r.description ?? null, options: {}, links: self(base, `roles/${r.id}`) };
}

export function regionView(r: RegionRow, base: string) {
  return { id: r.id, description: r.description ?? '', parent_region_id: r.parent_region_id, links: self(base, `regions/${r.id}`) };
}

export function serviceView(s: CatalogServiceRow, base: string) {
  return { id: s.id, type: s.type, name: s.name ?? '', description: s.description ?? '', enabled: s.enabled, links: self(base, `services/${s.id}`) };
}

export function endpointView(e: EndpointRow, base: string) {
  return {
    id: e.id, interface: e.interface, region: e.region_id, region_id: e.region_id, service_id: e.service_id, url: e.url,
    enabled: e.enabled, links: self(base, `endpoints/${e.id}`),
  };
}

export function ec2View(c: Ec2CredentialRow, base: string) {
  return {
    user_id: c.user_id, tenant_id: c.project_id, access: c.access, secret: c.secret, trust_id: c.trust_id,
    links: self(base, `users/${c.user_id}/credentials/OS-EC2/${c.access}`),
  };
}

/** A token's body as POST and GET /v3/auth/tokens answer it. */
export function tokenView(t: ValidatedToken, catalog?: CatalogEntry[]) {
  const audit = t.row.audit_chain_id !== t.row.audit_id ? [t.row.audit_id, t.row.audit_chain_id] : [t.row.audit_id];
  const body: Record<string, unknown> = {
    methods: t.row.methods,
    user: { domain: { id: t.userDomain.id, name: t.userDomain.name }, id: t.user.id, name: t.user.name, password_expires_at: null },
    audit_ids: audit,
    expires_at: keystoneTime(t.row.expires_at),
    issued_at: keystoneTime(t.row.issued_at),
  };
  if (t.project && t.projectDomain) {
    body.project = { domain: { id: t.projectDomain.id, name: t.projectDomain.name }, id: t.project.id, name: t.project.name };
    body.is_domain = false;
    body.roles = t.roles.map((r) => ({ id: r.id, name: r.name }));
    if (catalog) body.catalog = catalog;
  }
  return { token: body };
}
