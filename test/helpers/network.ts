import { ComputeAPI } from '../../src/compute/api';
import { makeContext } from '../../src/context';
import { ensureDefaultFlavors } from '../../src/db/api/flavors';
import { instanceGet } from '../../src/db/api/instances';
import { Instance } from '../../src/objects/instance';
import { loadConfig } from '../../src/conf/loader';
import { nullLogger, StreamLogger } from '../../src/lib/log';
import { Launcher } from '../../src/service/launcher';
import { Runtime } from '../../src/service/runtime';
import { startCloud, TestCloud, waitFor } from './cloud';

export interface NetworkCloud extends TestCloud {
  imageId: string;
  /** Boots one instance through the compute API layer and waits until it is ACTIVE (or ERROR). */
  boot(project: string, opts?: { name?: string; networks?: 'auto' | 'none' | Array<{ uuid: string; fixed_ip?: string }>; securityGroups?: string[]; expect?: 'active' | 'error'; host?: string }): Promise<Instance>;
  /** Starts nova-compute and nova-network for another host in this process (same queue and database). */
  addHost(host: string, overrides: Record<string, string>): Promise<void>;
  /** Deletes an instance and waits until it is gone. */
  destroy(inst: Instance): Promise<void>;
}

/**
 * A test cloud with the image service (one public image), conductor, scheduler, compute on the fake
 * driver, nova-network (unless left out) and the API. Instances are created through ComputeAPI, the
 * layer POST /servers calls.
 */
export async function startNetworkCloud(overrides: Record<string, string>, opts: { network?: boolean; auth?: 'noauth2' | 'keystone' } = {}): Promise<NetworkCloud> {
  const daemons = ['image', 'conductor', 'scheduler', 'compute', ...(opts.network === false ? [] : ['network']), 'api'];
  const cloud = await startCloud({ daemons, overrides, auth: opts.auth });
  await ensureDefaultFlavors();
  // Through the image client with the services' own token, so it works with noauth2 and Keystone alike.
  const images = await cloud.rt.imageService();
  const made = await images.create(cloud.rt.adminContext(), { name: 'cirros', visibility: 'public', disk_format: 'raw', container_format: 'bare' });
  await images.upload(cloud.rt.adminContext(), made.id, Buffer.alloc(1024, 1));
  const img = { body: { id: made.id } };
  const compute = cloud.rt.shared<ComputeAPI>('compute-api-layer', () => { throw new Error('nova-api is not running'); });

  async function settled(uuid: string, expect: 'active' | 'error'): Promise<Instance> {
    return waitFor(async () => {
      const i = await instanceGet(uuid);
      if (i.vm_state === 'error' && expect === 'active') throw Object.assign(new Error(`instance ${uuid} went to ERROR`), { i });
      return i.vm_state === expect && i.task_state === null ? i : undefined;
    }, 20000, `instance ${uuid} to be ${expect}`);
  }

  const others: Launcher[] = [];
  const stop = cloud.stop;
  return Object.assign(cloud, {
    imageId: img.body.id as string,
    async boot(project: string, o: Parameters<NetworkCloud['boot']>[1] = {}) {
      // Forcing a host (`nova:HOST`) is for admins: such a boot is made by an admin of the project.
      const roles = o.host ? ['admin', 'member', 'reader'] : ['member', 'reader'];
      const ctx = makeContext({ user_id: `${project}-user`, project_id: project, roles });
      const r = await compute.create(ctx, {
        name: o.name ?? 'vm', flavorRef: '1', imageRef: img.body.id, min_count: 1, max_count: 1,
        networks: o.networks ?? 'auto', security_groups: o.securityGroups, availability_zone: o.host ? `nova:${o.host}` : undefined,
      });
      return settled(r.instances[0].uuid, o.expect ?? 'active');
    },
    async addHost(host: string, extra: Record<string, string>) {
      const c = cloud.rt.conf;
      const loaded = loadConfig({
        overrides: {
          ...overrides, state_path: cloud.statePath, host, transport_url: c.DEFAULT.transport_url, 'database.connection': c.database.connection,
          'api.auth_strategy': c.api.auth_strategy, report_interval: '1', periodic_interval: '1', 'glance.api_servers': cloud.rt.endpoints.image, ...extra,
        },
      });
      const log = process.env.NOVA_TEST_LOG ? new StreamLogger(host, { level: 'debug' }) : nullLogger;
      const launcher = new Launcher(new Runtime(loaded, log), log);
      await launcher.start(['compute', 'network']);
      others.push(launcher);
    },
    async stop() {
      for (const l of others.splice(0)) await l.stop();
      await stop();
    },
    async destroy(inst: Instance) {
      const ctx = makeContext({ user_id: `${inst.project_id}-user`, project_id: inst.project_id, roles: ['member', 'reader'] });
      await compute.delete(ctx, await instanceGet(inst.uuid));
      await waitFor(async () => {
        try { await instanceGet(inst.uuid); return false; } catch { return true; }
      }, 20000, `instance ${inst.uuid} to be deleted`);
    },
  });
}
