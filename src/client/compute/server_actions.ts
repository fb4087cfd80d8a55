import { HttpResponse } from '../http';
import { ComputeCaller, seg } from './caller';
import { Server } from './servers';

export interface RebuildRequest {
  imageRef: string;
  adminPass?: string;
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
  preserve_ephemeral?: boolean;
  /** 2.54+: null unsets. */
  key_name?: string | null;
  /** 2.57+: raw data (sent base64), null unsets. */
  user_data?: string | null;
  hostname?: string;
}

/** `POST /servers/{id}/action`: one method per action of the Compute API. */
export class ServerActionsApi {
  constructor(private readonly c: ComputeCaller) {}

  /** Sends `{name: body}` (body null for the actions that take none). */
  async action<T = unknown>(id: string, name: string, body: unknown = null): Promise<HttpResponse<T>> {
    return this.c.call<T>('POST', `/servers/${seg(id)}/action`, { body: { [name]: body } });
  }

  async reboot(id: string, type: 'SOFT' | 'HARD' = 'SOFT'): Promise<void> { await this.action(id, 'reboot', { type }); }
  async stop(id: string): Promise<void> { await this.action(id, 'os-stop'); }
  async start(id: string): Promise<void> { await this.action(id, 'os-start'); }
  async pause(id: string): Promise<void> { await this.action(id, 'pause'); }
  async unpause(id: string): Promise<void> { await this.action(id, 'unpause'); }
  async suspend(id: string): Promise<void> { await this.action(id, 'suspend'); }
  async resume(id: string): Promise<void> { await this.action(id, 'resume'); }
  async unlock(id: string): Promise<void> { await this.action(id, 'unlock'); }
  async unrescue(id: string): Promise<void> { await this.action(id, 'unrescue'); }
  async shelve(id: string): Promise<void> { await this.action(id, 'shelve'); }
  async shelveOffload(id: string): Promise<void> { await this.action(id, 'shelveOffload'); }
  async confirmResize(id: string): Promise<void> { await this.action(id, 'confirmResize'); }
  async revertResize(id: string): Promise<void> { await this.action(id, 'revertResize'); }
  async forceDelete(id: string): Promise<void> { await this.action(id, 'forceDelete'); }

  /** Locks; a reason is recorded since 2.73. */
  async lock(id: string, reason?: string): Promise<void> {
    await this.action(id, 'lock', reason !== undefined && this.c.supports('2.73') ? { locked_reason: reason } : null);
  }

  /** Rescues; answers the admin password of the rescue system. */
  async rescue(id: string, opts: { password?: string; imageRef?: string } = {}): Promise<{ adminPass?: string }> {
    const info: Record<string, string> = {};
    if (opts.password) info.adminPass = opts.password;
    if (opts.imageRef) info.rescue_image_ref = opts.imageRef;
    return ((await this.action<{ adminPass?: string }>(id, 'rescue', Object.keys(info).length ? info : null)).body) ?? {};
  }

  /** Unshelves, into another availability zone when given (2.77+). */
  async unshelve(id: string, availabilityZone?: string): Promise<void> {
    await this.action(id, 'unshelve', availabilityZone !== undefined && this.c.supports('2.77') ? { availability_zone: availabilityZone } : null);
  }

  async rebuild(id: string, req: RebuildRequest): Promise<Server> {
    const body: Record<string, unknown> = { ...req };
    if (typeof req.user_data === 'string') body.user_data = Buffer.from(req.user_data).toString('base64');
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    return (await this.action<{ server: Server }>(id, 'rebuild', body)).body.server;
  }

  async resize(id: string, flavorRef: string): Promise<void> {
    await this.action(id, 'resize', { flavorRef });
  }

  /** Cold migration (admin); to a given host since 2.56, else where the scheduler picks. */
  async migrate(id: string, host?: string): Promise<void> {
    await this.action(id, 'migrate', host !== undefined && this.c.supports('2.56') ? { host } : null);
  }

  /**
   * Live migration (admin) to `host`, or where the scheduler picks (null). `blockMigration`
   * 'auto' (2.25+) lets the hosts decide whether the disks travel too.
   */
  async liveMigrate(id: string, host: string | null, blockMigration: boolean | 'auto'): Promise<void> {
    const body: Record<string, unknown> = { host, block_migration: blockMigration };
    if (!this.c.supports('2.25')) {
      body.block_migration = blockMigration === true;
      body.disk_over_commit = false;
    }
    await this.action(id, 'os-migrateLive', body);
  }

  /** Snapshots the server; answers the new image's id (body since 2.45, Location header before). */
  async createImage(id: string, name: string, metadata: Record<string, string> = {}): Promise<string> {
    const res = await this.action<{ image_id?: string }>(id, 'createImage', { name, metadata });
    if (res.body && typeof res.body === 'object' && res.body.image_id) return res.body.image_id;
    const location = res.headers.location ?? '';
    return location.replace(/\/+$/, '').split('/').pop() ?? '';
  }

  /** The console log, the last `length` lines when given. */
  async consoleOutput(id: string, length?: number): Promise<string> {
    const res = await this.action<{ output: string }>(id, 'os-getConsoleOutput', length === undefined ? {} : { length });
    return res.body.output;
  }
}
