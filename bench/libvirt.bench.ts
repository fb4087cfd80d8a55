import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { enablePhaseTrace, phasesOf } from '../src/lib/phase_trace';
import { startCloud, waitFor } from '../test/helpers/cloud';
import { uploadTestGuest } from '../test/helpers/libvirt';
import { BenchRow, msSince, percentiles } from './harness';

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
 * marker, on this host (QEMU under TCG here), in alternating rounds (NOVA_BENCH_LV_ROUNDS, default 3),
 * medians reported. The difference is what the control plane adds; the phase trace shows where.
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
  const rows: BenchRow[] = [{ group: 'machine', name: 'load average (1 min) at start', value: +os.loadavg()[0].toFixed(2), unit: '', note: `${os.cpus().length} cores, shared with other work` }];
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
    // The first boot also fills the image cache; the measured ones find the bases cached, as most boots do.
    const warm = await boot('bench-warm');
    // Rounds alternate nova and bare libvirt so that other load on the machine falls on both alike.
    const rounds = Number(process.env.NOVA_BENCH_LV_ROUNDS ?? 3);
    const nova: number[] = [];
    const bare: number[] = [];
    const beforeStart: number[] = [];
    let last: Awaited<ReturnType<typeof boot>> | undefined;
    for (let i = 0; i < rounds; i++) {
      const viaNova = await boot(`bench-lv-${i}`);
      nova.push(viaNova.ms);
      const defined = viaNova.phases.find((p) => p.phase === 'libvirt: domain defined');
      if (defined) beforeStart.push(defined.ms);
      last = viaNova;
      // The same guest through bare libvirt: nova's domain XML, created again once nova's domain is gone.
      const domain = (await cloud.request('GET', `/servers/${viaNova.id}`)).body.server['OS-EXT-SRV-ATTR:instance_name'] as string;
      const xmlFile = path.join(dir, 'domain.xml');
      fs.writeFileSync(xmlFile, virsh('dumpxml', domain));
      virsh('destroy', domain);
      const consoleLog = path.join(instances, viaNova.id, 'console.log');
      fs.rmSync(consoleLog, { force: true });
      const start = process.hrtime.bigint();
      virsh('create', xmlFile);
      bare.push(await untilMarker(consoleLog, start));
      virsh('destroy', domain);
      await cloud.request('DELETE', `/servers/${viaNova.id}`);
    }
    const med = (v: number[]) => percentiles(v).median;
    const note = `median of ${rounds} alternating rounds`;
    rows.push({ group: 'boot to marker', name: 'nova boot (POST /servers) to guest marker', value: Math.round(med(nova)), unit: 'ms', note: `${note}; image bases cached; all: ${nova.map(Math.round).join(', ')}` });
    rows.push({ group: 'boot to marker', name: 'virsh create of the same XML to guest marker', value: Math.round(med(bare)), unit: 'ms', note: `all: ${bare.map(Math.round).join(', ')}` });
    rows.push({ group: 'boot to marker', name: 'added by nova', value: +((med(nova) - med(bare)) / 1000).toFixed(2), unit: 's', note: 'goal: under 0.5 s' });
    rows.push({ group: 'boot to marker', name: 'nova\'s work before libvirt starts the domain (POST to defined)', value: Math.round(med(beforeStart)), unit: 'ms', note: 'the part bare libvirt does not have; less noisy than the difference of two TCG boots' });
    rows.push({ group: 'boot to marker', name: 'first boot, image download and cache included', value: Math.round(warm.ms), unit: 'ms' });
    // Where the last measured boot's time went: each phase's end, in ms since POST /servers.
    for (const p of last?.phases ?? []) rows.push({ group: 'nova boot phases (ms since POST), last round', name: p.phase, value: p.ms, unit: 'ms' });
    enablePhaseTrace(false);
    await cloud.request('DELETE', `/servers/${warm.id}`);
    await waitFor(async () => (await cloud.request('GET', '/servers')).body.servers.length === 0, 120_000, 'servers deleted');
    return rows;
  } finally {
    await cloud.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
