import { ComputeCaller, seg } from './caller';

export interface InstanceActionEvent {
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
  traceback?: string | null;
  host?: string;
  hostId?: string;
  details?: string | null;
}

export interface InstanceAction {
  action: string;
  instance_uuid: string;
  request_id: string;
  user_id: string;
  project_id: string;
  start_time: string;
  message: string | null;
  /** 2.58+. */
  updated_at?: string;
  /** In show only. */
  events?: InstanceActionEvent[];
}

/** `/servers/{id}/os-instance-actions`. */
export class InstanceActionsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(serverId: string, opts: { marker?: string; limit?: number; changesSince?: string; changesBefore?: string } = {}): Promise<InstanceAction[]> {
    const query = this.c.supports('2.58')
      ? { marker: opts.marker, limit: opts.limit, 'changes-since': opts.changesSince, 'changes-before': this.c.supports('2.66') ? opts.changesBefore : undefined }
      : {};
    return (await this.c.call<{ instanceActions: InstanceAction[] }>('GET', `/servers/${seg(serverId)}/os-instance-actions`, { query })).body.instanceActions;
  }

  async get(serverId: string, requestId: string): Promise<InstanceAction> {
    return (await this.c.call<{ instanceAction: InstanceAction }>('GET', `/servers/${seg(serverId)}/os-instance-actions/${seg(requestId)}`)).body.instanceAction;
  }
}
