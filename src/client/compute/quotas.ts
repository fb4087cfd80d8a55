import { ComputeCaller, seg } from './caller';

/** Quota limits by resource (instances, cores, ram, key_pairs ...); -1 is unlimited. */
export type QuotaSet = { id?: string } & Record<string, number | string>;

/** `/detail`: limit, in use and reserved per resource. */
export type QuotaSetDetail = { id?: string } & Record<string, { limit: number; in_use: number; reserved: number } | string>;

export const QUOTA_RESOURCES = ['instances', 'cores', 'ram', 'floating_ips', 'fixed_ips', 'metadata_items', 'injected_files',
  'injected_file_content_bytes', 'injected_file_path_bytes', 'key_pairs', 'security_groups', 'security_group_rules',
  'server_groups', 'server_group_members'] as const;

export type QuotaUpdate = Partial<Record<(typeof QUOTA_RESOURCES)[number], number>>;

/** `/os-quota-sets/{project_id}`. */
export class QuotasApi {
  constructor(private readonly c: ComputeCaller) {}

  async get(projectId: string, opts: { userId?: string; detail?: boolean } = {}): Promise<QuotaSet | QuotaSetDetail> {
    const path = `/os-quota-sets/${seg(projectId)}${opts.detail ? '/detail' : ''}`;
    return (await this.c.call<{ quota_set: QuotaSet }>('GET', path, { query: { user_id: opts.userId } })).body.quota_set;
  }

  async defaults(projectId: string): Promise<QuotaSet> {
    return (await this.c.call<{ quota_set: QuotaSet }>('GET', `/os-quota-sets/${seg(projectId)}/defaults`)).body.quota_set;
  }

  async update(projectId: string, values: QuotaUpdate, opts: { userId?: string; force?: boolean } = {}): Promise<QuotaSet> {
    const quota_set: Record<string, number | boolean> = { ...values };
    if (opts.force) quota_set.force = true;
    return (await this.c.call<{ quota_set: QuotaSet }>('PUT', `/os-quota-sets/${seg(projectId)}`, { query: { user_id: opts.userId }, body: { quota_set } })).body.quota_set;
  }

  async delete(projectId: string, userId?: string): Promise<void> {
    await this.c.call('DELETE', `/os-quota-sets/${seg(projectId)}`, { query: { user_id: userId } });
  }
}

/** `/os-quota-class-sets/{class}` (only `default` is used by Nova). */
export class QuotaClassesApi {
  constructor(private readonly c: ComputeCaller) {}

  async get(className: string): Promise<QuotaSet> {
    return (await this.c.call<{ quota_class_set: QuotaSet }>('GET', `/os-quota-class-sets/${seg(className)}`)).body.quota_class_set;
  }

  async update(className: string, values: QuotaUpdate): Promise<QuotaSet> {
    return (await this.c.call<{ quota_class_set: QuotaSet }>('PUT', `/os-quota-class-sets/${seg(className)}`, { body: { quota_class_set: values } })).body.quota_class_set;
  }
}
