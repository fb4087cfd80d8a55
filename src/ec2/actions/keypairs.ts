import { InvalidKeypair, KeyPairExists, KeypairNotFound } from '../../exception';
import { Ec2Error } from '../errors';
import { filtersParam, listParam, matchesFilter, required } from '../request';
import { Ec2Action } from './env';

/** EC2 key pair names: printable ASCII, at most 255 characters. */
function checkName(name: string): void {
  if (name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${name}' for KeyName: use at most 255 printable ASCII characters.`);
}

function duplicate(name: string): Ec2Error {
  return new Ec2Error('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
}

/** DescribeKeyPairs: the caller's key pairs; names asked for must all exist (InvalidKeyPair.NotFound). */
export const describeKeyPairs: Ec2Action = async (env, ctx, p) => {
  const names = listParam(p, 'KeyName');
  const filters = filtersParam(p);
  const all = await env.keypairs.list(ctx, ctx.user_id!);
  for (const n of names) {
    if (!all.some((k) => k.name === n)) throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
  }
  const shown = all.filter((k) => (names.length === 0 || names.includes(k.name))
    && matchesFilter(filters, 'key-name', k.name) && matchesFilter(filters, 'fingerprint', k.fingerprint));
  return { keySet: shown.map((k) => ({ keyName: k.name, keyFingerprint: k.fingerprint, keyType: 'rsa' })) };
};

/** CreateKeyPair: Nova generates the pair; the private key is shown this once. */
export const createKeyPair: Ec2Action = async (env, ctx, p) => {
  const name = required(p, 'KeyName');
  checkName(name);
  try {
    const k = await env.keypairs.create(ctx, ctx.user_id!, name, 'ssh');
    return { keyName: k.name, keyFingerprint: k.fingerprint, keyMaterial: k.private_key ?? '' };
  } catch (e) {
    if (e instanceof KeyPairExists) throw duplicate(name);
    throw e;
  }
};

/** ImportKeyPair: PublicKeyMaterial arrives base64 (of an OpenSSH public key line). */
export const importKeyPair: Ec2Action = async (env, ctx, p) => {
  const name = required(p, 'KeyName');
  checkName(name);
  const material = Buffer.from(required(p, 'PublicKeyMaterial'), 'base64').toString('utf8').trim();
  try {
    const k = await env.keypairs.create(ctx, ctx.user_id!, name, 'ssh', material);
    return { keyName: k.name, keyFingerprint: k.fingerprint };
  } catch (e) {
    if (e instanceof KeyPairExists) throw duplicate(name);
    if (e instanceof InvalidKeypair) throw new Ec2Error('InvalidKey.Format', `Key is not in valid OpenSSH public key format: ${e.message}`);
    throw e;
  }
};

/** DeleteKeyPair: EC2 answers true even when there was no such pair. */
export const deleteKeyPair: Ec2Action = async (env, ctx, p) => {
  const name = required(p, 'KeyName');
  try {
    await env.keypairs.delete(ctx, ctx.user_id!, name);
  } catch (e) {
    if (!(e instanceof KeypairNotFound)) throw e;
  }
  return { return: true };
};
