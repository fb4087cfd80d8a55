import * as net from 'node:net';
import { WebSocket } from 'ws';

/** Bytes queued towards the browser past which reading from the console server pauses. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;

/**
 * Relays binary websocket messages to a TCP console server and its bytes back as binary messages,
 * with backpressure both ways; either side closing ends both. `onEnd` runs once.
 */
export function relayWebSocket(ws: WebSocket, target: net.Socket, onEnd: () => void): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    target.destroy();
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'console server closed the connection');
    onEnd();
  };

  target.on('data', (chunk: Buffer) => {
    ws.send(chunk, { binary: true }, () => {
      if (target.isPaused() && ws.bufferedAmount < LOW_WATER && !ended) target.resume();
    });
    if (ws.bufferedAmount > HIGH_WATER) target.pause();
  });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!target.write(buf)) {
      ws.pause();
      target.once('drain', () => ws.resume());
    }
  });
  target.on('end', end);
  target.on('close', end);
  target.on('error', end);
  ws.on('close', end);
  ws.on('error', end);
  target.resume();
}

/** Relays two TCP sockets both ways (the XVP proxy); either side closing ends both. */
export function relaySockets(client: net.Socket, target: net.Socket, onEnd: () => void): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    client.destroy();
    target.destroy();
    onEnd();
  };
  client.pipe(target);
  target.pipe(client);
  for (const s of [client, target]) {
    s.on('close', end);
    s.on('error', end);
  }
  client.resume();
  target.resume();
}
