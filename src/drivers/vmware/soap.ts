import * as http from 'node:http';
import { agentFor, describeNetworkError, EndpointError, request, TlsSettings } from '../../lib/https_client';
import { asList, el, ParsedXml, parseXml, textOf, xmlDocument } from '../../lib/xml';
import { encodeFields, MoRef, SoapFields } from './encode';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A fault vCenter answered with: its vSphere type (NotAuthenticated, InvalidLogin, ...) and text. */
export class VimFault extends Error {
  constructor(readonly faultType: string, readonly faultMessage: string, readonly method: string, readonly endpoint: string, readonly detail?: ParsedXml) {
    super(`vCenter ${endpoint}: ${method} failed: ${faultType}${faultMessage ? `: ${faultMessage}` : ''}`);
    this.name = 'VimFault';
  }
}

export const TLS_HINT = '[vmware] ca_file to the vCenter CA bundle (PEM), or [vmware] insecure = true to skip verification';

/**
 * The vSphere Web Services SOAP transport: one POST to /sdk per method, our envelope out, the
 * parsed `returnval` (or a VimFault) back. Carries the session cookie vCenter sets at login.
 */
export class SoapClient {
  readonly sdkUrl: URL;
  readonly endpoint: string;
  private agent: http.Agent;
  private cookie?: string;
  apiVersion = '6.0';

  constructor(host: string, port: number, tls: TlsSettings, private timeoutMs = 300_000) {
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    this.sdkUrl = new URL(`https://${h}:${port}/sdk`);
    this.endpoint = this.sdkUrl.toString();
    try {
      this.agent = agentFor(this.sdkUrl, tls);
    } catch (e) {
      throw new Error(`[vmware] ca_file: ${(e as Error).message}`);
    }
  }

  get sessionCookie(): string | undefined { return this.cookie; }
  clearCookie(): void { this.cookie = undefined; }

  describe = (e: NodeJS.ErrnoException): EndpointError => {
    const err = describeNetworkError(`vCenter ${this.endpoint}`, e, TLS_HINT);
    if (err.kind === 'unreachable') err.message += '; check [vmware] host_ip and host_port';
    return err;
  };

  /** Calls `method` on `target` with `args` (in WSDL order); returns the parsed returnval, if any. */
  async call(method: string, target: MoRef, args: SoapFields = {}): Promise<unknown> {
    const body = xmlDocument(el('soapenv:Envelope', {
      'xmlns:soapenv': SOAP_ENV, 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema', 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    }, el('soapenv:Body', null, el(method, { xmlns: 'urn:vim25' }, el('_this', { type: target.type }, target.value), encodeFields(args)))));
    const headers: Record<string, string | number> = {
      'content-type': 'text/xml; charset=utf-8', soapaction: `urn:vim25/${this.apiVersion}`, 'content-length': Buffer.byteLength(body),
    };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await request(this.sdkUrl, this.agent, { method: 'POST', headers, body, timeoutMs: this.timeoutMs }, this.describe);
    const setCookie = asList(res.headers['set-cookie']).find((c) => c.startsWith('vmware_soap_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = res.body.toString('utf8');
    let doc: ParsedXml;
    try {
      doc = parseXml(text);
    } catch (e) {
      throw new EndpointError(`vCenter ${this.endpoint}`, 'protocol', `vCenter ${this.endpoint} answered ${method} with HTTP ${res.status} and no SOAP body (${(e as Error).message})`);
    }
    const soapBody = ((doc.Envelope as ParsedXml | undefined)?.Body ?? undefined) as ParsedXml | undefined;
    if (!soapBody) {
      throw new EndpointError(`vCenter ${this.endpoint}`, 'protocol',
        `vCenter ${this.endpoint} answered ${method} with HTTP ${res.status} and no SOAP envelope: ${text.slice(0, 200)}; is this a vCenter/ESXi /sdk endpoint?`);
    }
    const fault = soapBody.Fault as ParsedXml | undefined;
    if (fault) throw this.fault(method, fault);
    const response = soapBody[`${method}Response`] as ParsedXml | string | undefined;
    if (response === undefined) throw new EndpointError(`vCenter ${this.endpoint}`, 'protocol', `vCenter ${this.endpoint} answered ${method} without ${method}Response`);
    return typeof response === 'object' ? response.returnval : undefined;
  }

  private fault(method: string, fault: ParsedXml): VimFault {
    const detail = fault.detail as ParsedXml | undefined;
    let type = '';
    let inner: ParsedXml | undefined;
    if (detail && typeof detail === 'object') {
      const [name, value] = Object.entries(detail).find(([k]) => !k.startsWith('@_') && k !== '#text') ?? [];
      if (name) {
        inner = (Array.isArray(value) ? value[0] : value) as ParsedXml;
        type = (typeof inner === 'object' && (inner['@_type'] as string)) || name.replace(/Fault$/, '');
      }
    }
    const message = textOf(fault.faultstring);
    return new VimFault(type || textOf(fault.faultcode) || 'SoapFault', message, method, this.endpoint, inner);
  }

  /** Datastore file transfer over the /folder endpoint, with the session cookie. */
  folderUrl(dsPath: string, datacenterPath: string, datastore: string): URL {
    const u = new URL(this.sdkUrl.toString());
    u.pathname = `/folder/${dsPath.split('/').map(encodeURIComponent).join('/')}`;
    u.search = new URLSearchParams({ dcPath: datacenterPath, dsName: datastore }).toString();
    return u;
  }

  async transfer(url: URL, method: 'PUT' | 'GET' | 'HEAD', opts: { body?: NodeJS.ReadableStream | Buffer; size?: number; timeoutMs: number; stream?: boolean }) {
    const headers: Record<string, string | number> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (method === 'PUT') {
      headers['content-type'] = 'application/octet-stream';
      if (opts.size !== undefined) headers['content-length'] = opts.size;
    }
    return request(url, this.agent, { method, headers, body: opts.body, timeoutMs: opts.timeoutMs, stream: opts.stream }, this.describe);
  }

  close(): void { this.agent.destroy(); }
}

/** A managed object reference from a parsed answer (`<obj type="VirtualMachine">vm-42</obj>`). */
export function morefOf(v: unknown): MoRef {
  if (v && typeof v === 'object' && '@_type' in (v as object)) return new MoRef(String((v as ParsedXml)['@_type']), textOf(v));
  throw new Error(`expected a managed object reference, got ${JSON.stringify(v)?.slice(0, 120)}`);
}
