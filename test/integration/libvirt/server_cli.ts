import { strict as assert } from 'node:assert';
import { allocationsFor } from '../../../src/db/api/allocations';
import { computeNodesByHost } from '../../../src/db/api/compute_nodes';
import { migrationList } from '../../../src/db/api/migrations';
import { waitFor } from '../../helpers/cloud';
import { nova } from '../../helpers/run_command';

/**
 * Our `nova` CLI driving one server of a libvirt end-to-end test. `env` and `serverId` are read at each
 * call: the tests set them in their `before` hooks and first test.
 */
export function serverCli(env: () => Record<string, string>, serverId: () => string) {
  const run = async (...args: string[]) => {
    const r = await nova(args, env());
    assert.equal(r.exitCode, 0, `nova ${args.join(' ')} failed: ${r.stderr}`);
    return r;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const show = async () => (await run('show', serverId(), '--json')).json<Record<string, any>>();
  /** Waits for `status` with no task in progress; a server gone to ERROR fails at once with its fault. */
  const waitStatus = (status: string, timeoutMs = 240_000) => waitFor(async () => {
    const s = await show();
    if (s.status === 'ERROR' && status !== 'ERROR') throw Object.assign(new Error(`server went to ERROR: ${JSON.stringify(s.fault)}`), { fatal: true });
    return s.status === status && !s['OS-EXT-STS:task_state'] ? s : undefined;
  }, timeoutMs, `server ${status}`);
  const consoleLog = async () => (await run('console-log', serverId())).stdout;
  /** Compute node ids holding the server's claims, and those its migrations still hold. */
  const claims = async () => {
    const nodes = new Set((await allocationsFor(serverId())).map((a) => a.compute_node_id));
    const held = new Set<number>();
    for (const m of await migrationList({ instance_uuid: serverId() })) for (const a of await allocationsFor(m.uuid)) held.add(a.compute_node_id);
    return { nodes: [...nodes], held: [...held] };
  };
  const nodeOf = async (host: string) => (await computeNodesByHost(host))[0].id;
  return { run, show, waitStatus, consoleLog, claims, nodeOf };
}
