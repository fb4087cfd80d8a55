import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface KeystoneCatalogEntry { type: string; endpoints: Array<{ interface: string; region_id: string; url: string }> }

/**
 * A Keystone v3 stand-in: `POST /v3/auth/tokens` checks the password `secret` for user `admin`
 * (any domain) and answers a token scoped to project `p-admin` with the catalog given.
 */
export class FakeKeystone {
  readonly tokenRequests: any[] = [];
  private server?: http.Server;
  url = '';
  issued = 0;

  /** @param subjectToken the token issued (default `tok-N`); `admin:admin` suits a noauth2 cloud. */
  constructor(public catalog: () => KeystoneCatalogEntry[], private subjectToken?: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => { text += d; });
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
          const body = JSON.parse(text);
          this.tokenRequests.push(body);
          const pw = body.auth.identity.password?.user;
          const tok = body.auth.identity.token?.id;
          if (!(pw?.name === 'admin' && pw?.password === 'secret') && tok !== 'good-token') {
            res.writeHead(401, { 'x-openstack-request-id': 'req-11111111-2222-4333-8444-555555555555' });
            res.end(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }));
            return;
          }
          this.issued += 1;
          res.writeHead(201, { 'x-subject-token': this.subjectToken ?? `tok-${this.issued}` });
          res.end(JSON.stringify({
            token: {
              methods: ['password'], expires_at: new Date(Date.now() + 3600_000).toISOString(),
              user: { id: 'u-admin', name: 'admin', domain: { id: 'default', name: 'Default' } },
              project: { id: 'p-admin', name: 'admin', domain: { id: 'default', name: 'Default' } },
              roles: [{ id: 'r1', name: 'admin' }],
              catalog: this.catalog().map((c, i) => ({ ...c, id: `svc-${i}`, name: c.type, endpoints: c.endpoints.map((e, j) => ({ ...e, id: `ep-${i}-${j}`, region: e.region_id })) })),
            },
          }));
          return;
        }
        res.writeHead(404);
        res.end(JSON.stringify({ error: { code: 404, title: 'Not Found', message: 'nope' } }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v3`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}
