import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

/**
 * TEST DOUBLE of a vCenter /sdk endpoint, only for the session logic's unit tests (the driver itself
 * is tested against VMware's own simulator under test/integration/vmware). It knows four methods:
 * RetrieveServiceContent, Login, Logout, CurrentTime; it can forget every session and drop connections.
 */
export interface VimStub {
  port: number;
  logins: Array<{ userName: string; password: string }>;
  calls: string[];
  /** Forget every session: the next call meets NotAuthenticated. */
  expireSessions(): void;
  /** Drop the next `n` connections without answering. */
  dropNext(n: number): void;
  close(): Promise<void>;
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, parseTagValue: false });

const envelope = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const fault = (type: string, text: string) => envelope(`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${text}</faultstring><detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}"></${type}Fault></detail></soapenv:Fault>`);

const CONTENT = `<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector><viewManager type="ViewManager">ViewManager</viewManager><about><name>VMware vCenter Server</name><fullName>stub vCenter</fullName><version>7.0.3</version><apiType>VirtualCenter</apiType><apiVersion>7.0.3.0</apiVersion><instanceUuid>00000000-1111-2222-3333-444444444444</instanceUuid></about><sessionManager type="SessionManager">SessionManager</sessionManager><searchIndex type="SearchIndex">SearchIndex</searchIndex><fileManager type="FileManager">FileManager</fileManager><virtualDiskManager type="VirtualDiskManager">virtualDiskManager</virtualDiskManager></returnval></RetrieveServiceContentResponse>`;

export async function startVimStub(tls: { key: Buffer; cert: Buffer }, user = 'admin', password = 'p<&>"ss'): Promise<VimStub> {
  const sessions = new Set<string>();
  const logins: VimStub['logins'] = [];
  const calls: string[] = [];
  let drop = 0;
  let n = 0;
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (drop > 0) { drop--; req.socket.destroy(); return; }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.url !== '/sdk') { res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>'); return; }
      const doc = parser.parse(body);
      const [method, args] = Object.entries(doc.Envelope.Body)[0] as [string, Record<string, unknown>];
      calls.push(method);
      const cookie = /vmware_soap_session="?([^";]+)/.exec(req.headers.cookie ?? '')?.[1];
      const send = (xml: string, status = 200, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'text/xml', ...headers }).end(xml);
      if (method === 'RetrieveServiceContent') return send(envelope(CONTENT));
      if (method === 'Login') {
        logins.push({ userName: String(args.userName), password: String(args.password) });
        if (args.userName !== user || args.password !== password) return send(fault('InvalidLogin', 'Cannot complete login due to an incorrect user name or password.'), 500);
        const id = `s${++n}`;
        sessions.add(id);
        return send(envelope('<LoginResponse xmlns="urn:vim25"><returnval><key>k</key></returnval></LoginResponse>'), 200, { 'set-cookie': `vmware_soap_session="${id}"; Path=/; HttpOnly; Secure;` });
      }
      if (!cookie || !sessions.has(cookie)) return send(fault('NotAuthenticated', 'The session is not authenticated.'), 500);
      if (method === 'Logout') { sessions.delete(cookie); return send(envelope('<LogoutResponse xmlns="urn:vim25"></LogoutResponse>')); }
      if (method === 'CurrentTime') return send(envelope('<CurrentTimeResponse xmlns="urn:vim25"><returnval>2026-11-25T00:00:00Z</returnval></CurrentTimeResponse>'));
      return send(fault('MethodNotFound', `no method ${method}`), 500);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port, logins, calls,
    expireSessions: () => sessions.clear(),
    dropNext: (k) => { drop = k; },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
