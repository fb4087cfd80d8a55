import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { WebSocket } from 'ws';
import { ComputeAPI } from '../../src/compute/api';
import { makeContext, RequestContext } from '../../src/context';
import { instanceGet } from '../../src/db/api/instances';
import { ConsoleConnection, DriverInstance } from '../../src/drivers/driver';
import { FakeDriver } from '../../src/drivers/fake/driver';
import { registerDriver } from '../../src/drivers';
import { Instance } from '../../src/objects/instance';
import { TestCloud, waitFor } from './cloud';
import { glanceClient } from './glance';

/** A port free right now on 127.0.0.1 (at or above `from` when given). */
export async function freePort(from?: number): Promise<number> {
  for (let p = from ?? 0; ; p++) {
    const got = await new Promise<number | null>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(null));
      s.listen(p, '127.0.0.1', () => { const a = s.address() as net.AddressInfo; s.close(() => resolve(a.port)); });
    });
    if (got) return got;
    if (from === undefined) throw new Error('no free port');
  }
}

/** Where the console test driver says each guest's consoles are, by display name ('*' for any other). */
export const consoleTargets = new Map<string, { vnc?: number; spice?: number; serial?: number; internal_access_path?: string }>();

/** The fake driver, with consoles that lead to real servers the test started (consoleTargets). */
export class ConsoleTestDriver extends FakeDriver {
  private target(i: DriverInstance) { return consoleTargets.get(i.display_name) ?? consoleTargets.get('*') ?? {}; }
  async getVncConsole(i: DriverInstance): Promise<ConsoleConnection> {
    const c = await super.getVncConsole(i);
    const t = this.target(i);
    return { ...c, host: '127.0.0.1', port: t.vnc ?? c.port, internal_access_path: t.internal_access_path ?? null };
  }
  async getSpiceConsole(i: DriverInstance): Promise<ConsoleConnection> {
    const c = await super.getSpiceConsole(i);
    return { ...c, host: '127.0.0.1', port: this.target(i).spice ?? c.port };
  }
  async getSerialConsole(i: DriverInstance): Promise<ConsoleConnection> {
    const c = await super.getSerialConsole(i);
    return { ...c, host: '127.0.0.1', port: this.target(i).serial ?? c.port };
  }
}
registerDriver('test.ConsoleTestDriver', (conf) => new ConsoleTestDriver(conf));

export const hasQemu = spawnSync('sh', ['-c', 'command -v qemu-system-x86_64'], { encoding: 'utf8' }).status === 0;

async function waitListening(port: number, what: string, proc?: ChildProcess): Promise<void> {
  await waitFor(() => new Promise<boolean>((resolve) => {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  }), 20000, `${what} on port ${port}`);
}

export interface ConsoleServer { port: number; kind: string; stop(): Promise<void> }

function qemu(args: string[], port: number, what: string): Promise<ConsoleServer> {
  const proc = spawn('qemu-system-x86_64', ['-accel', 'tcg', '-m', '64', ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => { stderr += d; });
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  return waitListening(port, what, proc).then(() => ({ port, kind: what, stop }), async (e) => {
    await stop();
    throw new Error(`${(e as Error).message}: ${stderr}`);
  });
}

/**
 * A VNC server: QEMU's own (no guest OS: it shows the BIOS screen), or, where QEMU is not installed,
 * a tiny RFB 3.8 server that does the handshake with security type None.
 */
export async function startVncServer(): Promise<ConsoleServer> {
  if (hasQemu) {
    const port = await freePort(5950);
    return qemu(['-nographic', '-vnc', `127.0.0.1:${port - 5900}`], port, 'QEMU VNC server');
  }
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.write('RFB 003.008\n');
    let step = 0;
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (step === 0 && buf.length >= 12) { buf = buf.subarray(12); step = 1; s.write(Buffer.from([1, 1])); }
      if (step === 1 && buf.length >= 1) { buf = buf.subarray(1); step = 2; s.write(Buffer.alloc(4)); }
      if (step === 2 && buf.length >= 1) {
        buf = buf.subarray(1); step = 3;
        const init = Buffer.alloc(24 + 4);
        init.writeUInt16BE(640, 0); init.writeUInt16BE(480, 2);
        init.writeUInt8(32, 4); init.writeUInt8(24, 5); init.writeUInt32BE(4, 20);
        s.write(Buffer.concat([init, Buffer.from('tiny')]));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, kind: 'tiny RFB server', stop: () => new Promise((r) => server.close(() => r())) };
}

/** QEMU's SPICE server (null when QEMU is not installed). */
export async function startSpiceServer(): Promise<ConsoleServer | null> {
  if (!hasQemu) return null;
  const port = await freePort(5990);
  return qemu(['-display', 'none', '-vga', 'qxl', '-serial', 'none', '-monitor', 'none',
    '-spice', `port=${port},addr=127.0.0.1,disable-ticketing=on`], port, 'QEMU SPICE server');
}

/** A TCP forwarder in front of a console server that counts the connections it got (to prove nothing was relayed). */
export async function startCountingForwarder(targetPort: number): Promise<{ port: number; connections: number; open: Set<net.Socket>; stop(): Promise<void> }> {
  const state = { port: 0, connections: 0, open: new Set<net.Socket>(), stop: async () => undefined as void };
  const server = net.createServer((client) => {
    state.connections++;
    state.open.add(client);
    const upstream = net.connect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => { state.open.delete(client); client.destroy(); upstream.destroy(); };
    client.on('close', end); client.on('error', end); upstream.on('close', end); upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as net.AddressInfo).port;
  state.stop = () => new Promise<void>((r) => { for (const s of state.open) s.destroy(); server.close(() => r()); });
  return state;
}

/** Reads exact byte counts from a stream of chunks (a websocket's messages or a socket's data). */
export class ByteReader {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  push(chunk: Buffer): void { this.buf = Buffer.concat([this.buf, chunk]); this.waiters.splice(0).forEach((w) => w()); }
  end(): void { this.closed = true; this.waiters.splice(0).forEach((w) => w()); }

  async read(n: number, timeoutMs = 10000): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.buf.length < n) {
      if (this.closed) throw new Error(`stream closed after ${this.buf.length} of ${n} bytes`);
      if (Date.now() > until) throw new Error(`timed out waiting for ${n} bytes (have ${this.buf.length})`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

export function readerOf(s: WebSocket | net.Socket): ByteReader {
  const r = new ByteReader();
  if (s instanceof WebSocket) {
    s.on('message', (d: Buffer) => r.push(Buffer.from(d)));
    s.on('close', () => r.end());
  } else {
    s.on('data', (d: Buffer) => r.push(d));
    s.on('close', () => r.end());
  }
  return r;
}

/**
 * An RFB 3.8 client handshake (security type None) up to ServerInit; returns the framebuffer size
 * and desktop name the VNC server announced.
 */
export async function rfbHandshake(r: ByteReader, write: (b: Buffer) => void): Promise<{ version: string; width: number; height: number; name: string }> {
  const version = (await r.read(12)).toString('latin1');
  if (!/^RFB 003\.00\d\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  write(Buffer.from('RFB 003.008\n'));
  const count = (await r.read(1))[0];
  const types = [...(await r.read(count))];
  if (!types.includes(1)) throw new Error(`the VNC server offers no 'None' security: ${types}`);
  write(Buffer.from([1]));
  const result = (await r.read(4)).readUInt32BE(0);
  if (result !== 0) throw new Error(`security result ${result}`);
  write(Buffer.from([1])); // ClientInit, shared
  const init = await r.read(24);
  const name = (await r.read(init.readUInt32BE(20))).toString('utf8');
  return { version: version.trim(), width: init.readUInt16BE(0), height: init.readUInt16BE(2), name };
}

/** A SpiceLinkMess for the main channel; the server answers with a SpiceLinkReply starting `REDQ`. */
export function spiceLinkMessage(): Buffer {
  const body = Buffer.alloc(18);
  body.writeUInt32LE(0, 0); // connection id
  body.writeUInt8(1, 4); // channel type: main
  body.writeUInt8(0, 5); // channel id
  body.writeUInt32LE(0, 6); // common caps
  body.writeUInt32LE(0, 10); // channel caps
  body.writeUInt32LE(18, 14); // caps offset
  const head = Buffer.alloc(16);
  head.write('REDQ', 0, 'latin1');
  head.writeUInt32LE(2, 4); head.writeUInt32LE(2, 8); head.writeUInt32LE(body.length, 12);
  return Buffer.concat([head, body]);
}

/**
 * Boots `name` through the Compute API layer (the servers REST API is another feature's) and waits
 * for ACTIVE: on the fake driver with a 1 KiB image, or from `imageRef` when given.
 */
export async function bootInstance(cloud: TestCloud, name: string, o: { ctx?: RequestContext; imageRef?: string; timeoutMs?: number } = {}): Promise<Instance> {
  const ctx = o.ctx ?? makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member', 'reader'] });
  let imageRef = o.imageRef;
  if (!imageRef) {
    const g = glanceClient(cloud.rt.endpoints.image);
    const img = await g('POST', '/v2/images', { body: { name: `img-${name}`, disk_format: 'raw', container_format: 'bare', visibility: 'public' } });
    const put = await g('PUT', `/v2/images/${img.body.id}/file`, { raw: Buffer.alloc(1024, 1) });
    if (put.status !== 204) throw new Error(`image upload answered ${put.status}: ${put.text}`);
    imageRef = img.body.id as string;
  }
  const { instances } = await computeApi(cloud).create(ctx, { name, flavorRef: '1', imageRef, min_count: 1, max_count: 1 });
  return waitFor(async () => {
    const i = await instanceGet(instances[0].uuid);
    if (i.vm_state === 'error') throw new Error(`${name} went to ERROR`);
    return i.vm_state === 'active' && i.task_state === null ? i : null;
  }, o.timeoutMs ?? 20000, `${name} to become active`);
}

/** The Compute API layer the api daemon of a test cloud uses. */
export function computeApi(cloud: TestCloud): ComputeAPI {
  return cloud.rt.shared<ComputeAPI>('compute-api-layer', () => { throw new Error('the api daemon is not running'); });
}

/** The token inside a console URL the API handed out (`?token=` or noVNC's `?path=%3Ftoken%3D`). */
export function tokenOf(url: string): string {
  const q = new URL(url).searchParams;
  const direct = q.get('token');
  if (direct) return direct;
  const inner = new URL(q.get('path') ?? '', 'http://x/').searchParams.get('token');
  if (!inner) throw new Error(`no token in ${url}`);
  return inner;
}
