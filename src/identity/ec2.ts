import { Ec2CredentialRow } from '../db/models/identity';
import { unauthorized } from './errors';
import { newId } from './ids';
import { getProject } from './resources';
import { getUser } from './users';

/**
 * EC2 credentials: an access/secret pair per user and project, as Keystone's OS-EC2 extension keeps
 * them. The EC2 API looks a request's access key up here and checks its signature with the secret.
 */

export async function createEc2Credential(userId: string, projectId: string, trustId: string | null = null): Promise<Ec2CredentialRow> {
  await getUser(userId);
  await getProject(projectId);
  return Ec2CredentialRow.create({ access: newId(), secret: newId(), user_id: userId, project_id: projectId, trust_id: trustId });
}

export async function listEc2Credentials(userId: string): Promise<Ec2CredentialRow[]> {
  await getUser(userId);
  return Ec2CredentialRow.findAll({ where: { user_id: userId }, order: [['created_at', 'ASC']] });
}

/** Keystone answers 401 "EC2 access key not found." for an unknown key, also on show and delete. */
export async function getEc2Credential(userId: string, access: string): Promise<Ec2CredentialRow> {
  await getUser(userId);
  const c = await Ec2CredentialRow.findByPk(access);
  if (!c || c.user_id !== userId) throw unauthorized('EC2 access key not found.');
  return c;
}

export async function deleteEc2Credential(userId: string, access: string): Promise<void> {
  await (await getEc2Credential(userId, access)).destroy();
}

/** For the EC2 API: the credential of an access key, or null. */
export async function findEc2CredentialByAccess(access: string): Promise<Ec2CredentialRow | null> {
  return Ec2CredentialRow.findByPk(access);
}
