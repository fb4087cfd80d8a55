import * as net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { SessionRegistry } from '../src/console/sessions';
import { WebsocketConsoleProxy } from '../src/console/websocket_proxy';
import { XvpVncProxy } from '../src/console/xvp_proxy';
import { ConnectInfo, ConsoleAuthMethods } from '../src/consoleauth/rpcapi';
import { nullLogger } from '../src/lib/log';
import { BenchRow, msSince, percentiles } from './harness';

/**
 * Console relay cost: round trips of small messages (a keystroke and its echo) and bulk throughput
 * (a screen update) to a TCP echo server, directly and through the noVNC websocket proxy and the XVP
 * proxy, in alternating rounds so that other load on the machine falls on all alike. A websocket echo
 * server with no relay behind it shows what the websocket framing alone costs (ws masks and unmasks
 * in JavaScript when the optional bufferutil addon is absent). Token checks happen once per
 * connection and are stubbed here: this measures the relay itself.
 */
const ROUNDS = 5;
const TRIPS = 500;
const SMALL = 64;
const BULK = 32 * 2 ** 20;
const CHUNK = 64 * 1024;
const TOKEN = 'bench-token-000000000000000000000000000';
const round = (v: number, digits = 3) => Number(v.toFixed(digits));

/** A byte pipe to the echo server: send bytes, wait until `n` bytes came back. */
interface Pipe {
  send(b: Buffer): void;
  /** Bytes queued locally and not yet written out (for flow control while sending in bulk). */
  queued(): number;
  waitFor(n: number): Promise<void>;
  close(): void;
}

function pipeState() {
  let received = 0;
  let want = 0;
  let wake: (() => void) | null = null;
  return {
    got(n: number) { received += n; if (wake && received >= want) { const w = wake; wake = null; w(); } },
    waitFor(n: number) {
      want += n;
      return received >= want ? Promise.resolve() : new Promise<void>((r) => { wake = r; });
    },
  };
}

async function tcpPipe(port: number, prelude?: string): Promise<Pipe> {
  const s = net.connect(port, '127.0.0.1');
  s.setNoDelay(true);
  await new Promise((r) => s.once('connect', r));
  if (prelude) {
    s.write(prelude);
    let head = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        s.off('data', onData);
        if (!head.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(head.toString('latin1')));
        else resolve();
      };
      s.on('data', onData);
    });
  }
  const st = pipeState();
  s.on('data', (d: Buffer) => st.got(d.length));
  return { send: (b) => s.write(b), queued: () => s.writableLength, waitFor: (n) => st.waitFor(n), close: () => s.destroy() };
}

async function wsPipe(url: string): Promise<Pipe> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const st = pipeState();
  ws.on('message', (d: Buffer) => st.got(d.length));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return { send: (b) => ws.send(b, { binary: true }), queued: () => ws.bufferedAmount, waitFor: (n) => st.waitFor(n), close: () => ws.close() };
}

async function roundTrips(p: Pipe): Promise<number[]> {
  const msg = Buffer.alloc(SMALL, 7);
  const times: number[] = [];
  for (let i = 0; i < TRIPS; i++) {
    const t = process.hrtime.bigint();
    p.send(msg);
    await p.waitFor(SMALL);
    times.push(msSince(t));
  }
  return times;
}

/** MiB/s of BULK bytes sent and echoed back. */
async function throughput(p: Pipe): Promise<number> {
  const chunk = Buffer.alloc(CHUNK, 3);
  const t = process.hrtime.bigint();
  const back = p.waitFor(BULK);
  for (let sent = 0; sent < BULK; sent += CHUNK) {
    p.send(chunk);
    while (p.queued() > 4 * 2 ** 20) await new Promise((r) => setImmediate(r));
  }
  await back;
  return BULK / 2 ** 20 / (msSince(t) / 1000);
}

function stubConsoleauth(port: number): ConsoleAuthMethods {
  const info = (console_type: string): ConnectInfo => ({
    instance_uuid: 'bench', console_type, host: '127.0.0.1', port, internal_access_path: null, access_url: 'http://127.0.0.1/', expires: Date.now() / 1000 + 3600,
  });
  return {
    authorize_console: async () => { throw new Error('not used'); },
    check_token: async (_c, a) => (a.token === TOKEN ? info('novnc') : a.token === `${TOKEN}x` ? info('xvpvnc') : null),
    delete_tokens_for_instance: async () => undefined,
  };
}

export const title = 'console relay: round trip and throughput to a TCP echo server, direct vs noVNC websocket proxy vs XVP proxy';

export async function run(): Promise<BenchRow[]> {
  const echo = net.createServer((s) => { s.setNoDelay(true); s.on('error', () => undefined); s.pipe(s); });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoPort = (echo.address() as net.AddressInfo).port;
  const consoleauth = stubConsoleauth(echoPort);
  const novnc = new WebsocketConsoleProxy({
    name: 'novncproxy', host: '127.0.0.1', port: 0, advertise: '127.0.0.1', tls: null, sslOnly: false, consoleauth, consoleTypes: ['novnc'],
    allowedOrigins: [], websocketPaths: ['/'], web: { mounts: [], index: '/' }, sessions: new SessionRegistry(), log: nullLogger,
  });
  const xvp = new XvpVncProxy({ host: '127.0.0.1', port: 0, advertise: '127.0.0.1', tls: null, sslOnly: false, consoleauth, sessions: new SessionRegistry(), log: nullLogger });
  const wsEcho = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wsEcho.on('connection', (s) => s.on('message', (d: Buffer) => s.send(d, { binary: true })));
  await new Promise((r) => wsEcho.once('listening', r));
  const wsEchoPort = (wsEcho.address() as net.AddressInfo).port;
  await novnc.start();
  await xvp.start();
  const subjects: Record<string, () => Promise<Pipe>> = {
    'direct TCP': () => tcpPipe(echoPort),
    'websocket echo, no relay': () => wsPipe(`ws://127.0.0.1:${wsEchoPort}/`),
    'noVNC websocket relay': () => wsPipe(`ws://127.0.0.1:${novnc.port}/?token=${TOKEN}`),
    'XVP relay': () => tcpPipe(xvp.port, `CONNECT /console?token=${TOKEN}x HTTP/1.0\r\n\r\n`),
  };
  const trips: Record<string, number[]> = {};
  const rates: Record<string, number[]> = {};
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, open] of Object.entries(subjects)) {
        const p = await open();
        if (r === 0) await roundTrips(p); // warm-up
        (trips[name] ??= []).push(...await roundTrips(p));
        (rates[name] ??= []).push(await throughput(p));
        p.close();
      }
    }
  } finally {
    await novnc.stop();
    await xvp.stop();
    await new Promise((r) => echo.close(r));
    await new Promise((r) => wsEcho.close(r));
  }
  const rows: BenchRow[] = [];
  const direct = percentiles(trips['direct TCP']);
  const directRate = percentiles(rates['direct TCP']).median;
  for (const name of Object.keys(subjects)) {
    const p = percentiles(trips[name]);
    const rate = percentiles(rates[name]).median;
    rows.push({ group: name, name: `round trip median (${SMALL} B)`, value: round(p.median), unit: 'ms' });
    rows.push({ group: name, name: 'round trip p99', value: round(p.p99), unit: 'ms' });
    rows.push({ group: name, name: `throughput (${BULK / 2 ** 20} MiB echoed)`, value: round(rate, 1), unit: 'MiB/s', note: `median of ${ROUNDS} rounds` });
    if (name !== 'direct TCP') {
      rows.push({ group: name, name: 'added latency (median)', value: round(p.median - direct.median), unit: 'ms' });
      rows.push({ group: name, name: 'throughput vs direct', value: round((100 * rate) / directRate, 1), unit: '%' });
    }
  }
  return rows;
}
