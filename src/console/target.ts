import * as net from 'node:net';
import { InvalidConnectionInfo } from './errors';

/** Where a console leads: the host and port of the guest's VNC/SPICE server, as check_token answers. */
export interface ConsoleTarget {
  host: string;
  port: number;
  /** Set by drivers behind a CONNECT-speaking gateway (XenAPI): sent as `CONNECT path HTTP/1.1` first. */
  internal_access_path: string | null;
}

const MAX_HANDSHAKE = 4096;

/**
 * Connects to a console's server and, when it sits behind a gateway, does the CONNECT handshake
 * (Nova's websocketproxy and xvp_proxy do the same). Resolves with a connected, paused socket.
 */
export function connectTarget(t: ConsoleTarget, timeoutMs = 10000): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: t.host, port: t.port });
    let settled = false;
    const fail = (e: Error) => { if (settled) return; settled = true; sock.destroy(); reject(e); };
    const done = () => { if (settled) return; settled = true; sock.setTimeout(0); sock.removeAllListeners('data'); sock.pause(); resolve(sock); };
    sock.setTimeout(timeoutMs, () => fail(new Error(`console server ${t.host}:${t.port} did not answer within ${timeoutMs} ms`)));
    sock.once('error', (e) => fail(new Error(`cannot reach console server ${t.host}:${t.port}: ${e.message}`)));
    sock.once('close', () => fail(new Error(`console server ${t.host}:${t.port} closed the connection`)));
    sock.once('connect', () => {
      if (!t.internal_access_path) return done();
      sock.write(`CONNECT ${t.internal_access_path} HTTP/1.1\r\n\r\n`);
      let head = Buffer.alloc(0);
      sock.on('data', (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_HANDSHAKE) fail(new InvalidConnectionInfo());
          return;
        }
        const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        if (!/^HTTP\/1\.[01] 200\b/.test(status)) return fail(new InvalidConnectionInfo({}, `console gateway ${t.host}:${t.port} refused CONNECT ${t.internal_access_path}: ${status}`));
        const rest = head.subarray(end + 4);
        done();
        if (rest.length) sock.unshift(rest);
      });
    });
  });
}
