import { ComputeCaller, seg } from './caller';
import { Link } from './servers';

/** An image as the Compute API's image proxy shows it (`/images`, up to 2.35). */
export interface ProxyImage {
  id: string;
  name: string;
  status: string;
  progress?: number;
  minDisk?: number;
  minRam?: number;
  created?: string;
  updated?: string;
  metadata?: Record<string, string>;
  server?: { id: string; links?: Link[] };
  'OS-EXT-IMG-SIZE:size'?: number;
  links?: Link[];
}

/**
 * The Compute API's image proxy. It answers only up to microversion 2.35: callers pass a client
 * capped there (see ComputeClient.atMost).
 */
export class ImagesProxyApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(filters: { name?: string; limit?: number; marker?: string } = {}): Promise<ProxyImage[]> {
    return (await this.c.call<{ images: ProxyImage[] }>('GET', '/images/detail', { query: filters })).body.images;
  }

  async get(id: string): Promise<ProxyImage> {
    return (await this.c.call<{ image: ProxyImage }>('GET', `/images/${seg(id)}`)).body.image;
  }

  async delete(id: string): Promise<void> {
    await this.c.call('DELETE', `/images/${seg(id)}`);
  }
}
