import { IdentityServer } from '../identity/server';
import { DaemonFactory } from './daemon';

/**
 * The built-in Identity service (Keystone v3 subset) on [identity] listen:port. Idle when disabled or
 * when [keystone_authtoken] auth_url points at a real Keystone.
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('identity');
  const { enabled } = rt.conf.identity;
  const authUrl = rt.conf.keystone_authtoken.auth_url;
  if (!enabled || authUrl) {
    const why = authUrl ? `[keystone_authtoken] auth_url is ${authUrl}: tokens are validated by that Keystone` : '[identity] enabled is false';
    return { name: 'identity', async start() { log.info(`built-in Identity service not started: ${why}`); }, async stop() {} };
  }
  await rt.database();
  const server = new IdentityServer(rt, log);
  return { name: 'identity', start: () => server.start(), stop: () => server.stop() };
};
