import { Aggregate } from '../../client/compute/aggregates';

/** novaclient's aggregate columns (UUID from 2.41); hosts and metadata as Python would print them. */
export function aggregateColumns(withUuid: boolean): string[] {
  return withUuid ? ['Id', 'UUID', 'Name', 'Availability Zone', 'Hosts', 'Metadata'] : ['Id', 'Name', 'Availability Zone', 'Hosts', 'Metadata'];
}

export function aggregateRow(a: Aggregate): Record<string, unknown> {
  const meta = Object.entries(a.metadata ?? {}).map(([k, v]) => `'${k}=${v}'`).join(', ');
  return {
    id: a.id, uuid: a.uuid ?? '', name: a.name, availability_zone: a.availability_zone ?? '-',
    hosts: (a.hosts ?? []).map((h) => `'${h}'`).join(', '), metadata: meta,
  };
}
