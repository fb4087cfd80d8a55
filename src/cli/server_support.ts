import * as fs from 'node:fs';
import { Flags } from '@oclif/core';
import { ComputeClient } from '../client/compute/client';
import { Server } from '../client/compute/servers';
import { CommandError } from '../client/errors';
import { pollForStatus } from './poll';

/** `--poll`, and the hidden seconds between polls (novaclient waits 5). */
export const pollFlags = {
  poll: Flags.boolean({ description: 'Report the progress until it completes.' }),
  'poll-interval': Flags.integer({ hidden: true, default: 5, min: 0, description: 'Seconds between two polls.' }),
};

/** `k=v` items into a record; the error names the item that has no `=`. */
export function parseKeyValues(items: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const i = item.indexOf('=');
    if (i < 0) throw new CommandError(`'${item}' is not in the format of 'key=value'`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** novaclient's _extract_metadata: `k=v` sets a value, a bare `k` (for delete/unset) names a key. */
export function extractMetadata(items: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i < 0) out[item] = null;
    else out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

export function readUserData(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandError(`Can't open '${file}': ${(e as Error).message}`);
  }
}

/** Waits for a server's status to reach one of `finalOk`, printing novaclient's progress line. */
export function pollServer(nova: ComputeClient, id: string, action: string, finalOk: string[], o: { intervalSeconds: number; write: (s: string) => void; showProgress?: boolean }): Promise<Server> {
  return pollForStatus<Server>({
    fetch: () => nova.servers.get(id),
    status: (s) => s.status,
    progress: (s) => s.progress,
    detail: (s) => s['OS-EXT-STS:task_state'],
    fault: (s) => s.fault?.message,
    action, finalOk, showProgress: o.showProgress, intervalMs: o.intervalSeconds * 1000, write: o.write,
  });
}

/** Repeated `--hint k=v`; a key given twice becomes a list, as the scheduler expects. */
export function parseHints(items: string[]): Record<string, string | string[]> {
  const hints: Record<string, string | string[]> = {};
  for (const item of items) {
    const [k, v] = Object.entries(parseKeyValues([item]))[0];
    const seen = hints[k];
    hints[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
  }
  return hints;
}
