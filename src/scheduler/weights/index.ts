import { NovaConf } from '../../conf/schema';
import { CPUWeigher, DiskWeigher, RAMWeigher } from './resource_weighers';
import { HostWeigher } from './weigher';
import { BuildFailureWeigher, IoOpsWeigher, NumInstancesWeigher } from './load_weighers';
import { ServerGroupSoftAffinityWeigher, ServerGroupSoftAntiAffinityWeigher } from './server_group_weighers';

export const WEIGHERS: Record<string, new (conf: NovaConf) => HostWeigher> = {
  RAMWeigher, CPUWeigher, DiskWeigher, IoOpsWeigher, NumInstancesWeigher, BuildFailureWeigher,
  ServerGroupSoftAffinityWeigher, ServerGroupSoftAntiAffinityWeigher,
};

/** `nova.scheduler.weights.all_weighers` means every weigher; otherwise class names (module paths allowed). */
export function loadWeighers(conf: NovaConf): HostWeigher[] {
  const names = conf.filter_scheduler.weight_classes.flatMap((n) =>
    n === 'nova.scheduler.weights.all_weighers' ? Object.keys(WEIGHERS) : [n.split('.').pop()!]);
  return [...new Set(names)].map((name) => {
    const cls = WEIGHERS[name];
    if (!cls) throw new Error(`[filter_scheduler] weight_classes names unknown weigher '${name}' (known: ${Object.keys(WEIGHERS).join(', ')})`);
    return new cls(conf);
  });
}
