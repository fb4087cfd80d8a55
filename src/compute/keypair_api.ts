import { RequestContext } from '../context';
import { GeneratedKeyPair, generateSshKeyPair, generateX509KeyPair, sshFingerprint, x509Fingerprint } from '../crypto/ssh';
import * as db from '../db/api/keypairs';
import { KeypairObj } from '../db/api/keypairs';
import { KeypairLimitExceeded } from '../exception';
import { QuotaAPI } from './quota_api';

export type KeypairType = 'ssh' | 'x509';

/** A key pair as created: `private_key` only when Nova generated it. */
export interface CreatedKeypair extends KeypairObj { private_key?: string }

/**
 * Key pairs of users (Nova's compute/api.py KeypairAPI): import a public key or generate a pair,
 * within the `key_pairs` quota, which counts each user's key pairs.
 */
export class KeypairAPI {
  constructor(private quotas: QuotaAPI) {}

  /** Over quota when the user would have more key pairs than allowed (`extra` more than now). */
  private async checkQuota(ctx: RequestContext, userId: string, extra: number): Promise<void> {
    if (this.quotas.noop) return;
    const limit = (await this.quotas.limits(ctx.project_id ?? '', userId)).key_pairs ?? -1;
    if (limit >= 0 && (await db.keypairCount(userId)) + extra > limit) throw new KeypairLimitExceeded();
  }

  async create(ctx: RequestContext, userId: string, name: string, type: KeypairType, publicKey?: string): Promise<CreatedKeypair> {
    await this.checkQuota(ctx, userId, 1);
    let material: GeneratedKeyPair;
    if (publicKey !== undefined) {
      material = { publicKey, privateKey: '', fingerprint: type === 'x509' ? x509Fingerprint(publicKey) : sshFingerprint(publicKey) };
    } else {
      material = type === 'x509' ? generateX509KeyPair(userId) : generateSshKeyPair();
    }
    const created = await db.keypairCreate({ name, user_id: userId, type, public_key: material.publicKey, fingerprint: material.fingerprint });
    // Nova's recheck: two concurrent creates may both have passed the first check.
    try {
      await this.checkQuota(ctx, userId, 0);
    } catch (e) {
      await db.keypairDestroy(userId, name).catch(() => undefined);
      throw e;
    }
    return publicKey === undefined ? { ...created, private_key: material.privateKey } : created;
  }

  async get(_ctx: RequestContext, userId: string, name: string): Promise<KeypairObj> {
    return db.keypairGet(userId, name);
  }

  async list(_ctx: RequestContext, userId: string, opts: { limit?: number; marker?: string } = {}): Promise<KeypairObj[]> {
    return db.keypairList(userId, opts);
  }

  async delete(_ctx: RequestContext, userId: string, name: string): Promise<void> {
    await db.keypairDestroy(userId, name);
  }
}
