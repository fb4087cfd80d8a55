import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { enablePhaseTrace, phasesOf } from '../src/lib/phase_trace';
import { startCloud, waitFor } from '../test/helpers/cloud';
import { uploadTestGuest } from '../test/helpers/libvirt';
import { BenchRow, msSince } from './harness';

const MARKER = 'NOVA-TEST-GUEST-BOOTED';

function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], { encoding: 'utf8' });
}

/** Milliseconds from `start` until `file` holds the marker line. */
async function untilMarker(file: string, start: bigint): Promise<number> {
  await waitFor(async () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(MARKER), 180_000, `marker in ${file}`);
  return msSince(start);
}

/**
 * The libvirt issue's number: seconds from `POST /servers` (what `nova boot` sends) to the test
 * guest's marker on its serial console, against `virsh create` of the very same domain XML to the same
 * marker, in one run on this host (QEMU under TCG here). The difference is what the control plane adds.
 */
export const title = 'libvirt: nova boot to guest marker vs virsh create of the same XML';

export async function run(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-lv-'));
  fs.chmodSync(dir, 0o755);
  const instances = path.join(dir, 'instances');
  const cloud = await startCloud({
    daemons: ['image', 'conductor', 'scheduler', 'compute', 'api'],
    overrides: { compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', instances_path: instances },
  });
  const rows: BenchRow[] = [];
  try {
    const root = await uploadTestGuest(cloud);
    const flavor = (await cloud.request('POST', '/flavors', { body: { flavor: { name: 'bench.lv', ram: 128, vcpus: 1, disk: 1 } } })).body.flavor.id;

    enablePhaseTrace();
    const boot = async (name: string) => {
      const t0 = performance.now();
      const start = process.hrtime.bigint();
      const r = await cloud.request('POST', '/servers', { version: '2.96', body: { server: { name, imageRef: root, flavorRef: flavor, networks: 'none' } } });
      if (r.status !== 202) throw new Error(`boot refused: ${JSON.stringify(r.body)}`);
      const id = r.body.server.id as string;
      const ms = await untilMarker(path.join(instances, id, 'console.log'), start);
      return { id, ms, phases: phasesOf(id, t0) };
    };
    // The first boot also fills the image cache; the measured one finds the bases cached, as most boots do.
    const warm = await boot('bench-warm');
    const viaNova = await boot('bench-lv');
    const inst = (await cloud.request('GET', `/servers/${viaNova.id}`)).body.server;
    const domain = inst['OS-EXT-SRV-ATTR:instance_name'] as string;

    // The same guest through bare libvirt: nova's domain XML, created again once nova's domain is gone.
    const xml = virsh('dumpxml', domain);
    const xmlFile = path.join(dir, 'domain.xml');
    fs.writeFileSync(xmlFile, xml);
    virsh('destroy', domain);
    const consoleLog = path.join(instances, viaNova.id, 'console.log');
    fs.rmSync(consoleLog, { force: true });
    const start = process.hrtime.bigint();
    virsh('create', xmlFile);
    const bare = await untilMarker(consoleLog, start);
    virsh('destroy', domain);

    rows.push({ group: 'boot to marker', name: 'nova boot (POST /servers) to guest marker', value: Math.round(viaNova.ms), unit: 'ms', note: 'image bases cached' });
    rows.push({ group: 'boot to marker', name: 'virsh create of the same XML to guest marker', value: Math.round(bare), unit: 'ms' });
    rows.push({ group: 'boot to marker', name: 'added by nova', value: +((viaNova.ms - bare) / 1000).toFixed(2), unit: 's', note: 'goal: under 0.5 s' });
    rows.push({ group: 'boot to marker', name: 'first boot, image download and cache included', value: Math.round(warm.ms), unit: 'ms' });
    // Where the measured boot's time went: each phase's end, in ms since POST /servers.
    for (const p of viaNova.phases) rows.push({ group: 'nova boot phases (ms since POST)', name: p.phase, value: p.ms, unit: 'ms' });
    enablePhaseTrace(false);
    for (const id of [warm.id, viaNova.id]) await cloud.request('DELETE', `/servers/${id}`);
    await waitFor(async () => (await cloud.request('GET', '/servers')).body.servers.length === 0, 120_000, 'servers deleted');
    return rows;
  } finally {
    await cloud.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
