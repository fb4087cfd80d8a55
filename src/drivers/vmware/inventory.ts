import { ParsedXml, textOf } from '../../lib/xml';
import { MoRef } from './encode';
import { morefOf } from './soap';
import { asObjects, VimSession } from './session';

/** A datastore of the cluster, as its summary describes it. */
export interface DatastoreInfo {
  ref: MoRef;
  name: string;
  capacity: number;
  freeSpace: number;
  accessible: boolean;
  type: string;
}

/** Where this compute service puts VMs: its cluster, the cluster's pool, datacenter and folders. */
export interface ClusterPlacement {
  cluster: MoRef;
  clusterName: string;
  resourcePool: MoRef;
  datacenter: MoRef;
  /** Inventory path of the datacenter (the /folder endpoint's dcPath). */
  datacenterPath: string;
  vmFolder: MoRef;
  hosts: MoRef[];
  datastores: MoRef[];
}

/** The references of an ArrayOfManagedObjectReference property. */
export function morefList(v: unknown): MoRef[] {
  if (!v || typeof v !== 'object') return [];
  return asObjects((v as ParsedXml).ManagedObjectReference).map(morefOf);
}

/** Finds `[vmware] cluster_name` and what placing a VM there needs; the error lists the clusters there are. */
export async function findCluster(s: VimSession, clusterName: string): Promise<ClusterPlacement> {
  const clusters = await s.objectsIn(s.content.rootFolder, 'ClusterComputeResource', ['name', 'resourcePool', 'host', 'datastore', 'parent']);
  const names = clusters.map((c) => textOf(c.props.name));
  if (!clusterName) {
    throw new Error(`[vmware] cluster_name is not set; clusters at vCenter ${s.endpoint}: ${names.join(', ') || '(none)'}`);
  }
  const found = clusters.find((c) => textOf(c.props.name) === clusterName);
  if (!found) {
    throw new Error(`cluster '${clusterName}' ([vmware] cluster_name) not found at vCenter ${s.endpoint}; clusters there: ${names.join(', ') || '(none)'}`);
  }
  // Up the parent chain to the datacenter, collecting names for its inventory path.
  let datacenter = morefOf(found.props.parent);
  while (datacenter.type !== 'Datacenter') datacenter = morefOf(await s.property(datacenter, 'parent'));
  const path: string[] = [];
  const dc = await s.properties(datacenter, ['name', 'vmFolder', 'parent']);
  path.unshift(textOf(dc.name));
  let up: MoRef | undefined = dc.parent ? morefOf(dc.parent) : undefined;
  while (up && !up.equals(s.content.rootFolder)) {
    const p = await s.properties(up, ['name', 'parent']);
    path.unshift(textOf(p.name));
    up = p.parent ? morefOf(p.parent) : undefined;
  }
  return {
    cluster: found.obj, clusterName, resourcePool: morefOf(found.props.resourcePool), datacenter, datacenterPath: path.join('/'),
    vmFolder: morefOf(dc.vmFolder), hosts: morefList(found.props.host), datastores: morefList(found.props.datastore),
  };
}

export async function datastoreInfos(s: VimSession, refs: MoRef[]): Promise<DatastoreInfo[]> {
  const out: DatastoreInfo[] = [];
  for (const ref of refs) {
    const summary = (await s.property(ref, 'summary')) as ParsedXml;
    out.push({
      ref, name: textOf(summary.name), capacity: Number(textOf(summary.capacity)), freeSpace: Number(textOf(summary.freeSpace)),
      accessible: textOf(summary.accessible) === 'true', type: textOf(summary.type),
    });
  }
  return out;
}

/** The datastores `[vmware] datastore_regex` allows (all when empty) that are accessible. */
export function usableDatastores(all: DatastoreInfo[], regex: string): DatastoreInfo[] {
  const re = regex ? new RegExp(regex) : undefined;
  return all.filter((d) => d.accessible && (!re || re.test(d.name)));
}

/** The allowed datastore with the most free space; the error lists what was seen. */
export function pickDatastore(all: DatastoreInfo[], regex: string, clusterName: string): DatastoreInfo {
  const usable = usableDatastores(all, regex);
  if (!usable.length) {
    throw new Error(`no accessible datastore of cluster '${clusterName}' matches [vmware] datastore_regex '${regex}' (datastores: ${all.map((d) => d.name).join(', ') || 'none'})`);
  }
  return usable.reduce((best, d) => (d.freeSpace > best.freeSpace ? d : best));
}

/** "[datastore1] folder/file.vmdk" */
export function dsPath(datastore: string, ...parts: string[]): string {
  return `[${datastore}] ${parts.join('/')}`;
}

/** "[ds] a/b.vmdk" -> { datastore: 'ds', path: 'a/b.vmdk' } */
export function parseDsPath(p: string): { datastore: string; path: string } {
  const m = /^\[([^\]]+)\]\s*(.*)$/.exec(p);
  if (!m) throw new Error(`not a datastore path: ${p}`);
  return { datastore: m[1], path: m[2] };
}
