import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OpenrcValues {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  regionName: string;
}

/** Single-quotes a value for sh. */
function shellQuote(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the admin credentials as devstack's openrc does (`source` it, then run `openstack`), mode
 * 0600 since it holds a password. Written to a temporary file and renamed, so readers never see half.
 */
export function writeOpenrc(file: string, v: OpenrcValues): void {
  const vars: Array<[string, string]> = [
    ['OS_AUTH_URL', v.authUrl], ['OS_AUTH_TYPE', 'password'], ['OS_USERNAME', v.username], ['OS_PASSWORD', v.password],
    ['OS_PROJECT_NAME', v.projectName], ['OS_USER_DOMAIN_NAME', v.userDomainName], ['OS_PROJECT_DOMAIN_NAME', v.projectDomainName],
    ['OS_IDENTITY_API_VERSION', '3'], ['OS_REGION_NAME', v.regionName],
  ];
  const text = '# Admin credentials of the built-in Identity service, written at each start of `nova daemon identity`.\n' +
    '# Use: . ./openrc && openstack server list\n' + vars.map(([k, val]) => `export ${k}=${shellQuote(val)}`).join('\n') + '\n';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
