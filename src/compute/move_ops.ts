import { RequestContext } from '../context';
import { NotImplemented } from '../exception';
import type { ComputeManager } from './manager';
import { ComputeMethods } from './rpcapi';

type M = ComputeMethods;
const todo = (what: string) => { throw new NotImplemented({}, `${what} is not implemented yet`); };

/**
 * Instance operations that move disks or images around: rebuild, snapshot, rescue, resize and
 * migrate, shelve. Kept apart from the manager's power actions to keep each file to one job.
 */
export class MoveOps implements Pick<M, 'rescue_instance' | 'unrescue_instance' | 'rebuild_instance' | 'snapshot_instance' |
  'prep_resize' | 'resize_instance' | 'finish_resize' | 'confirm_resize' | 'revert_resize' | 'finish_revert_resize' |
  'shelve_instance' | 'shelve_offload_instance' | 'unshelve_instance'> {
  constructor(private m: ComputeManager) {}
  async rescue_instance(_c: RequestContext, _a: Parameters<M['rescue_instance']>[1]): Promise<void> { todo('rescue'); }
  async unrescue_instance(_c: RequestContext, _a: Parameters<M['unrescue_instance']>[1]): Promise<void> { todo('unrescue'); }
  async rebuild_instance(_c: RequestContext, _a: Parameters<M['rebuild_instance']>[1]): Promise<void> { todo('rebuild'); }
  async snapshot_instance(_c: RequestContext, _a: Parameters<M['snapshot_instance']>[1]): Promise<void> { todo('snapshot'); }
  async prep_resize(_c: RequestContext, _a: Parameters<M['prep_resize']>[1]): Promise<void> { todo('resize'); }
  async resize_instance(_c: RequestContext, _a: Parameters<M['resize_instance']>[1]): Promise<void> { todo('resize'); }
  async finish_resize(_c: RequestContext, _a: Parameters<M['finish_resize']>[1]): Promise<void> { todo('resize'); }
  async confirm_resize(_c: RequestContext, _a: Parameters<M['confirm_resize']>[1]): Promise<void> { todo('resize'); }
  async revert_resize(_c: RequestContext, _a: Parameters<M['revert_resize']>[1]): Promise<void> { todo('resize'); }
  async finish_revert_resize(_c: RequestContext, _a: Parameters<M['finish_revert_resize']>[1]): Promise<void> { todo('resize'); }
  async shelve_instance(_c: RequestContext, _a: Parameters<M['shelve_instance']>[1]): Promise<void> { todo('shelve'); }
  async shelve_offload_instance(_c: RequestContext, _a: Parameters<M['shelve_offload_instance']>[1]): Promise<void> { todo('shelve'); }
  async unshelve_instance(_c: RequestContext, _a: Parameters<M['unshelve_instance']>[1]): Promise<void> { todo('unshelve'); }
}
