import { NovaConf } from '../../conf/schema';
import { EndpointError } from '../../lib/https_client';
import { Logger } from '../../lib/log';
import { ParsedXml, textOf } from '../../lib/xml';
import { MoRef, SoapFields, typed } from './encode';
import { morefOf, SoapClient, VimFault } from './soap';

/** The managers of ServiceContent that the driver uses. */
export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  searchIndex: MoRef;
  fileManager: MoRef;
  virtualDiskManager: MoRef;
  about: { name: string; fullName: string; version: string; apiVersion: string; apiType: string; instanceUuid: string };
}

const SERVICE_INSTANCE = new MoRef('ServiceInstance', 'ServiceInstance');
/** vCenter drops idle sessions after 30 minutes by default: touch it well before. */
const KEEPALIVE_MS = 5 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A logged-in vCenter session: login, a keep-alive, a fresh login when vCenter says
 * NotAuthenticated, retries of calls that failed on the connection ([vmware] api_retry_count), and
 * task polling ([vmware] task_poll_interval).
 */
export class VimSession {
  readonly soap: SoapClient;
  content!: ServiceContent;
  private keepAlive?: NodeJS.Timeout;
  private loggingIn?: Promise<void>;

  constructor(private conf: NovaConf['vmware'], private log: Logger) {
    if (!conf.host_ip) throw new Error('[vmware] host_ip is not set: the VMware driver needs the vCenter address');
    this.soap = new SoapClient(conf.host_ip, conf.host_port, { insecure: conf.insecure, caFile: conf.ca_file || undefined });
  }

  get endpoint(): string { return this.soap.endpoint; }

  /** Reads ServiceContent and logs in. Errors name the endpoint and the option to fix. */
  async connect(): Promise<void> {
    const sc = await this.soap.call('RetrieveServiceContent', SERVICE_INSTANCE) as ParsedXml;
    const about = sc.about as ParsedXml;
    const ref = (k: string) => morefOf(sc[k]);
    this.content = {
      rootFolder: ref('rootFolder'), propertyCollector: ref('propertyCollector'), viewManager: ref('viewManager'),
      sessionManager: ref('sessionManager'), searchIndex: ref('searchIndex'), fileManager: ref('fileManager'),
      virtualDiskManager: ref('virtualDiskManager'),
      about: {
        name: textOf(about.name), fullName: textOf(about.fullName), version: textOf(about.version), apiVersion: textOf(about.apiVersion),
        apiType: textOf(about.apiType), instanceUuid: textOf(about.instanceUuid),
      },
    };
    if (this.content.about.apiVersion) this.soap.apiVersion = this.content.about.apiVersion;
    await this.login();
    this.keepAlive = setInterval(() => void this.touch(), KEEPALIVE_MS);
    this.keepAlive.unref();
  }

  private async login(): Promise<void> {
    this.soap.clearCookie();
    try {
      await this.soap.call('Login', this.content.sessionManager, { userName: this.conf.host_username, password: this.conf.host_password });
    } catch (e) {
      if (e instanceof VimFault && (e.faultType === 'InvalidLogin' || e.faultType === 'NoPermission')) {
        throw new VimFault(e.faultType, `login of user '${this.conf.host_username}' refused (${e.faultMessage || e.faultType}); check [vmware] host_username and host_password`, 'Login', e.endpoint);
      }
      throw e;
    }
    this.log.info(`logged in to ${this.content.about.fullName || 'vCenter'} at ${this.endpoint} as ${this.conf.host_username}`);
  }

  private async touch(): Promise<void> {
    try {
      await this.invoke('CurrentTime', SERVICE_INSTANCE);
    } catch (e) {
      this.log.warn(`vCenter keep-alive failed: ${(e as Error).message}`);
    }
  }

  /** One login at a time, however many calls found the session gone. */
  private relogin(): Promise<void> {
    this.loggingIn ??= this.login().finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  /** Calls a method; logs in again once on NotAuthenticated; retries connection failures that are safe to retry. */
  async invoke(method: string, target: MoRef, args: SoapFields = {}): Promise<unknown> {
    let attempt = 0;
    let relogged = false;
    for (;;) {
      try {
        return await this.soap.call(method, target, args);
      } catch (e) {
        if (e instanceof VimFault && e.faultType === 'NotAuthenticated' && !relogged && method !== 'Login') {
          this.log.info(`vCenter session expired (${method}): logging in again`);
          relogged = true;
          await this.relogin();
          continue;
        }
        if (retryable(method, e) && attempt < this.conf.api_retry_count) {
          attempt++;
          const wait = Math.min(this.conf.task_poll_interval * 1000 * 2 ** attempt, 10_000);
          this.log.warn(`${method} failed (${(e as Error).message}); retry ${attempt}/${this.conf.api_retry_count} in ${wait} ms`);
          await sleep(wait);
          continue;
        }
        throw e;
      }
    }
  }

  /** Polls a task until it ends; returns its result, or throws its fault as a VimFault. */
  async waitForTask(task: MoRef, what: string): Promise<unknown> {
    for (;;) {
      const info = (await this.property(task, 'info')) as ParsedXml | undefined;
      const state = textOf(info?.state);
      if (state === 'success') return info?.result;
      if (state === 'error') {
        const err = (info?.error ?? {}) as ParsedXml;
        const fault = err.fault as ParsedXml | undefined;
        const type = (fault && typeof fault === 'object' && String(fault['@_type'] ?? '')) || 'TaskError';
        throw new VimFault(type, textOf(err.localizedMessage), what, this.endpoint, fault);
      }
      await sleep(this.conf.task_poll_interval * 1000);
    }
  }

  /** Starts a *_Task method and waits for it. */
  async runTask(method: string, target: MoRef, args: SoapFields, what = method): Promise<unknown> {
    const task = morefOf(await this.invoke(method, target, args));
    return this.waitForTask(task, what);
  }

  /** One property of one object (undefined when unset). */
  async property(obj: MoRef, path: string): Promise<unknown> {
    const props = await this.properties(obj, [path]);
    return props[path];
  }

  /** Several properties of one object. */
  async properties(obj: MoRef, paths: string[]): Promise<Record<string, unknown>> {
    const result = await this.retrieve({ propSet: [{ type: obj.type, pathSet: paths }], objectSet: [{ obj, skip: false }] });
    return result[0]?.props ?? {};
  }

  /** RetrievePropertiesEx with paging (ContinueRetrievePropertiesEx) over every page. */
  async retrieve(spec: SoapFields): Promise<Array<{ obj: MoRef; props: Record<string, unknown> }>> {
    const pc = this.content.propertyCollector;
    const out: Array<{ obj: MoRef; props: Record<string, unknown> }> = [];
    let page = (await this.invoke('RetrievePropertiesEx', pc, { specSet: spec, options: { maxObjects: this.conf.maximum_objects } })) as ParsedXml | undefined;
    for (;;) {
      if (!page) return out;
      for (const o of asObjects(page.objects)) {
        const props: Record<string, unknown> = {};
        for (const p of asObjects(o.propSet)) props[textOf(p.name)] = p.val;
        out.push({ obj: morefOf(o.obj), props });
      }
      const token = textOf(page.token);
      if (!token) return out;
      page = (await this.invoke('ContinueRetrievePropertiesEx', pc, { token })) as ParsedXml | undefined;
    }
  }

  /** Objects of `type` under `container` (recursively), with the given properties. */
  async objectsIn(container: MoRef, type: string, paths: string[]): Promise<Array<{ obj: MoRef; props: Record<string, unknown> }>> {
    const view = morefOf(await this.invoke('CreateContainerView', this.content.viewManager, { container, type, recursive: true }));
    try {
      return await this.retrieve({
        propSet: [{ type, pathSet: paths }],
        objectSet: [{ obj: view, skip: true, selectSet: [typed('TraversalSpec', { name: 'view', type: 'ContainerView', path: 'view', skip: false })] }],
      });
    } finally {
      await this.invoke('DestroyView', view).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.keepAlive) clearInterval(this.keepAlive);
    if (this.content && this.soap.sessionCookie) await this.soap.call('Logout', this.content.sessionManager).catch(() => undefined);
    this.soap.close();
  }
}

/** Codes after which the request surely never reached vCenter. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** Methods that change nothing, safe to send again whatever happened to the first try. */
const READ_ONLY = /^(Retrieve|ContinueRetrieve|Find|CurrentTime$|CreateContainerView$|DestroyView$)/;

/**
 * A connection failure is retried when the call cannot have done anything twice: the request was
 * never sent, or the method only reads. A reset in the middle of CreateVM_Task is not retried (it
 * might have created the VM).
 */
export function retryable(method: string, e: unknown): boolean {
  if (!(e instanceof EndpointError) || (e.kind !== 'unreachable' && e.kind !== 'timeout')) return false;
  return NOT_SENT.has(e.code ?? '') || READ_ONLY.test(method);
}

export function asObjects(v: unknown): ParsedXml[] {
  if (v === undefined || v === null || typeof v === 'string') return [];
  return (Array.isArray(v) ? v : [v]) as ParsedXml[];
}
