import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { fetchClosing } from '../../src/lib/fetch_closing';

/**
 * Against a server that behaves like uWSGI's --http-socket: an HTTP/1.1 answer without
 * `Connection: close`, then the connection closed.
 */
describe('fetchClosing', () => {
  let server: net.Server;
  let url = '';
  const requests: string[] = [];

  before(async () => {
    server = net.createServer((socket) => {
      let text = '';
      socket.on('data', (d) => {
        text += d;
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
        if (text.length < end + 4 + length) return;
        requests.push(text);
        const body = JSON.stringify({ n: requests.length, got: text.slice(end + 4) });
        socket.end(`HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Subject-Token: t${requests.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v3/auth/tokens`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends each request on its own connection, saying it will close it, and answers a Response', async () => {
    for (let i = 1; i <= 20; i++) {
      const res = await fetchClosing(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"i":${i}}` });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('x-subject-token'), `t${i}`);
      assert.deepEqual(await res.json(), { n: i, got: `{"i":${i}}` });
    }
    assert.equal(requests.length, 20);
    assert.ok(requests.every((r) => /^POST \/v3\/auth\/tokens HTTP\/1\.1\r\n/.test(r) && /\r\nconnection: close\r\n/i.test(r)));
  });

  it('names the cause when nothing listens', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(fetchClosing(`http://127.0.0.1:${port}/v3`), /ECONNREFUSED/);
  });
});
