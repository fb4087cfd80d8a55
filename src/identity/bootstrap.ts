import * as path from 'node:path';
import { ProjectRow, RoleRow, UserRow } from '../db/models/identity';
import { NovaConf } from '../conf/schema';
import { Logger } from '../lib/log';
import { ensureRegion } from './catalog';
import { DEFAULT_DOMAIN_ID, ensureDomain, ensureProject } from './resources';
import { addGrant, addImpliedRole, ensureRole } from './roles';
import { ADMIN_PASSWORD_FILE, readOrCreateSecret, SERVICE_PASSWORD_FILE } from './secrets';
import { checkPassword, createUser, findUserByName, updateUser } from './users';

export const DEFAULT_DOMAIN_NAME = 'Default';
const ROLES = ['admin', 'manager', 'member', 'reader', 'service'] as const;
type RoleName = (typeof ROLES)[number];
// Keystone's bootstrap implications (admin > manager > member > reader), with admin > member stated too.
const IMPLIES: Array<[RoleName, RoleName]> = [['admin', 'manager'], ['admin', 'member'], ['manager', 'member'], ['member', 'reader']];

export interface BootstrapResult {
  adminUser: UserRow;
  adminPassword: string;
  adminProject: ProjectRow;
  serviceUser: UserRow;
  servicePassword: string;
  serviceProject: ProjectRow;
  roles: Record<RoleName, RoleRow>;
}

/** The user of this name in the default domain, with this password (reset if it differs) and enabled. */
async function ensureUser(name: string, password: string, log: Logger): Promise<UserRow> {
  const found = await findUserByName(name, DEFAULT_DOMAIN_ID);
  if (!found) {
    try {
      return await createUser({ name, domain_id: DEFAULT_DOMAIN_ID, password });
    } catch (e) {
      const again = await findUserByName(name, DEFAULT_DOMAIN_ID);
      if (!again) throw e;
      return ensureUser(name, password, log);
    }
  }
  if (!found.enabled || !(await checkPassword(found, password))) {
    log.info(`bootstrap: resetting the password of user ${name} to the configured one`);
    return updateUser(found.id, { password, enabled: true });
  }
  return found;
}

/** The built-in service keeps its service user in the default domain; other domain names are a config mistake. */
function checkServiceDomains(conf: NovaConf): void {
  const k = conf.keystone_authtoken;
  for (const [opt, v] of [['user_domain_name', k.user_domain_name], ['project_domain_name', k.project_domain_name]]) {
    if (v !== DEFAULT_DOMAIN_NAME && v !== DEFAULT_DOMAIN_ID) {
      throw new Error(`[keystone_authtoken] ${opt} is '${v}', but the built-in Identity keeps the service user in domain '${DEFAULT_DOMAIN_NAME}': ` +
        `set it to ${DEFAULT_DOMAIN_NAME}, or set [keystone_authtoken] auth_url to use a real Keystone`);
    }
  }
}

/**
 * What `keystone-manage bootstrap` does, and safe to run at every start: the default domain, the
 * standard roles and their implications, the admin and service projects, the admin user (admin on
 * project admin), the nova service user (admin and service on project service), and the region.
 * Passwords come from the configuration or are generated once and kept in state_path (mode 0600).
 */
export async function bootstrap(conf: NovaConf, statePath: string, log: Logger): Promise<BootstrapResult> {
  checkServiceDomains(conf);
  const id = conf.identity;
  const k = conf.keystone_authtoken;
  await ensureDomain({ id: DEFAULT_DOMAIN_ID, name: DEFAULT_DOMAIN_NAME, description: 'The default domain' });
  const roles = {} as BootstrapResult['roles'];
  for (const r of ROLES) roles[r] = await ensureRole(r);
  for (const [prior, implied] of IMPLIES) await addImpliedRole(roles[prior].id, roles[implied].id);

  const adminProject = await ensureProject(id.admin_project, DEFAULT_DOMAIN_ID, 'Bootstrap project for initializing the cloud.');
  const serviceProject = await ensureProject(k.project_name, DEFAULT_DOMAIN_ID, 'Project of the service users.');

  const adminPassword = id.admin_password || readOrCreateSecret(path.join(statePath, ADMIN_PASSWORD_FILE));
  const adminUser = await ensureUser(id.admin_user, adminPassword, log);
  await addGrant(adminUser.id, adminProject.id, roles.admin.id);

  const servicePassword = k.password || readOrCreateSecret(path.join(statePath, SERVICE_PASSWORD_FILE));
  const serviceUser = await ensureUser(k.username, servicePassword, log);
  await addGrant(serviceUser.id, serviceProject.id, roles.admin.id);
  await addGrant(serviceUser.id, serviceProject.id, roles.service.id);

  await ensureRegion(id.region_id);
  return { adminUser, adminPassword, adminProject, serviceUser, servicePassword, serviceProject, roles };
}
