import { ComputeCaller, seg } from './caller';

export interface Keypair {
  name: string;
  public_key: string;
  fingerprint: string;
  /** 2.2+: ssh or x509. */
  type?: string;
  user_id?: string;
  /** Only in the create answer, when the server generated the key (before 2.92). */
  private_key?: string;
  id?: number;
  created_at?: string;
  updated_at?: string | null;
  deleted?: boolean;
  deleted_at?: string | null;
}

export interface KeypairCreateRequest {
  name: string;
  /** Omitted: the server generates the pair and answers the private key (before 2.92). */
  public_key?: string;
  type?: string;
  /** Admins, 2.10+. */
  user_id?: string;
}

export class KeypairsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(opts: { userId?: string; marker?: string; limit?: number } = {}): Promise<Keypair[]> {
    const query = {
      user_id: this.c.supports('2.10') ? opts.userId : undefined,
      marker: this.c.supports('2.35') ? opts.marker : undefined,
      limit: this.c.supports('2.35') ? opts.limit : undefined,
    };
    return (await this.c.call<{ keypairs: Array<{ keypair: Keypair }> }>('GET', '/os-keypairs', { query })).body.keypairs.map((k) => k.keypair);
  }

  async get(name: string, userId?: string): Promise<Keypair> {
    const query = { user_id: this.c.supports('2.10') ? userId : undefined };
    return (await this.c.call<{ keypair: Keypair }>('GET', `/os-keypairs/${seg(name)}`, { query })).body.keypair;
  }

  async create(req: KeypairCreateRequest): Promise<Keypair> {
    const keypair: Record<string, string> = { name: req.name };
    if (this.c.supports('2.2')) keypair.type = req.type ?? 'ssh';
    if (req.public_key) keypair.public_key = req.public_key;
    if (req.user_id && this.c.supports('2.10')) keypair.user_id = req.user_id;
    return (await this.c.call<{ keypair: Keypair }>('POST', '/os-keypairs', { body: { keypair } })).body.keypair;
  }

  async delete(name: string, userId?: string): Promise<void> {
    const query = { user_id: this.c.supports('2.10') ? userId : undefined };
    await this.c.call('DELETE', `/os-keypairs/${seg(name)}`, { query });
  }
}
