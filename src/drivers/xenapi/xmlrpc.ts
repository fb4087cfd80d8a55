import { asList, el, ParsedXml, parseXml, XmlElement, xmlDocument } from '../../lib/xml';

/**
 * XML-RPC as XAPI speaks it (its reference's wire protocol): calls are written with our XML builder,
 * answers read with fast-xml-parser and mapped to values. XAPI's int64 fields travel as strings;
 * we send JS numbers as <int> only when they are 32-bit, as XML-RPC allows.
 */
export type RpcValue = string | number | boolean | RpcValue[] | { [k: string]: RpcValue };

export function encodeValue(v: RpcValue): XmlElement {
  if (typeof v === 'string') return el('value', null, el('string', null, v));
  if (typeof v === 'boolean') return el('value', null, el('boolean', null, v ? '1' : '0'));
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= 0x7fffffff) return el('value', null, el('int', null, String(v)));
    if (Number.isInteger(v)) throw new Error(`integer ${v} does not fit XML-RPC's 32-bit int: send it as a string (XAPI's int64 form)`);
    return el('value', null, el('double', null, String(v)));
  }
  if (Array.isArray(v)) return el('value', null, el('array', null, el('data', null, v.map(encodeValue))));
  if (v === null || v === undefined) throw new Error('XML-RPC has no null value (XAPI does not take one)');
  return el('value', null, el('struct', null, Object.entries(v).map(([k, x]) => el('member', null, el('name', null, k), encodeValue(x)))));
}

export function encodeCall(method: string, params: RpcValue[]): string {
  return xmlDocument(el('methodCall', null, el('methodName', null, method), el('params', null, params.map((p) => el('param', null, encodeValue(p))))));
}

/** One parsed <value> element as a JS value. */
export function decodeValue(v: unknown): RpcValue {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v; // <value>text</value>: a string
  const node = v as ParsedXml;
  const typeKey = Object.keys(node).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!typeKey) return typeof node['#text'] === 'string' ? node['#text'] : '';
  const inner = node[typeKey];
  const text = typeof inner === 'string' ? inner : (inner as ParsedXml | undefined)?.['#text'] as string | undefined ?? '';
  switch (typeKey) {
    case 'string': return text;
    case 'int': case 'i4': case 'i8': return Number.parseInt(text.trim(), 10);
    case 'double': return Number.parseFloat(text.trim());
    case 'boolean': return text.trim() === '1' || text.trim() === 'true';
    case 'dateTime.iso8601': return text.trim();
    case 'base64': return Buffer.from(text.trim(), 'base64').toString('utf8');
    case 'nil': return '';
    case 'array': {
      const data = (inner as ParsedXml | undefined)?.data as ParsedXml | string | undefined;
      return asList(typeof data === 'object' ? data.value : undefined).map(decodeValue);
    }
    case 'struct': {
      const out: Record<string, RpcValue> = {};
      for (const m of asList((inner as ParsedXml | string | undefined) && typeof inner === 'object' ? (inner as ParsedXml).member : undefined)) {
        const member = m as ParsedXml;
        out[String(member.name ?? '')] = decodeValue(member.value);
      }
      return out;
    }
    default: throw new Error(`unknown XML-RPC type <${typeKey}>`);
  }
}

export class XmlRpcFault extends Error {
  constructor(readonly faultCode: number, readonly faultString: string) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
  }
}

/** The value of a <methodResponse>, or its fault thrown as XmlRpcFault. */
export function decodeResponse(xml: string): RpcValue {
  const doc = parseXml(xml);
  const resp = doc.methodResponse as ParsedXml | undefined;
  if (!resp || typeof resp !== 'object') throw new Error(`not an XML-RPC methodResponse: ${xml.slice(0, 120)}`);
  if (resp.fault) {
    const f = decodeValue((resp.fault as ParsedXml).value) as Record<string, RpcValue>;
    throw new XmlRpcFault(Number(f.faultCode), String(f.faultString));
  }
  const param = (resp.params as ParsedXml | undefined)?.param as ParsedXml | undefined;
  return decodeValue(param?.value);
}
