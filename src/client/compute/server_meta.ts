import { ComputeCaller, seg } from './caller';

/** `/servers/{id}/metadata`. */
export class ServerMetadataApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(id: string): Promise<Record<string, string>> {
    return (await this.c.call<{ metadata: Record<string, string> }>('GET', `/servers/${seg(id)}/metadata`)).body.metadata;
  }

  /** Adds or replaces these items, keeping the others; answers the whole metadata. */
  async set(id: string, metadata: Record<string, string>): Promise<Record<string, string>> {
    return (await this.c.call<{ metadata: Record<string, string> }>('POST', `/servers/${seg(id)}/metadata`, { body: { metadata } })).body.metadata;
  }

  async delete(id: string, key: string): Promise<void> {
    await this.c.call('DELETE', `/servers/${seg(id)}/metadata/${seg(key)}`);
  }
}

/** `/servers/{id}/tags` (2.26+). */
export class ServerTagsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(id: string): Promise<string[]> {
    return (await this.c.call<{ tags: string[] }>('GET', `/servers/${seg(id)}/tags`)).body.tags;
  }

  async add(id: string, tag: string): Promise<void> {
    await this.c.call('PUT', `/servers/${seg(id)}/tags/${seg(tag)}`);
  }

  async delete(id: string, tag: string): Promise<void> {
    await this.c.call('DELETE', `/servers/${seg(id)}/tags/${seg(tag)}`);
  }

  async set(id: string, tags: string[]): Promise<string[]> {
    return (await this.c.call<{ tags: string[] }>('PUT', `/servers/${seg(id)}/tags`, { body: { tags } })).body.tags;
  }

  async deleteAll(id: string): Promise<void> {
    await this.c.call('DELETE', `/servers/${seg(id)}/tags`);
  }
}
