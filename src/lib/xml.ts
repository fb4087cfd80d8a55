import { XMLParser } from 'fast-xml-parser';

/**
 * A small XML builder for the request bodies we send (vSphere SOAP envelopes, XML-RPC calls), and
 * the one parser setup we read answers with (fast-xml-parser). Building is string work with proper
 * escaping; parsing is left to the library.
 */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  children?: XmlChild[];
}
export type XmlChild = XmlElement | string;

export function el(name: string, attrs?: Record<string, string> | null, ...children: Array<XmlChild | XmlChild[] | null | undefined>): XmlElement {
  const flat: XmlChild[] = [];
  for (const c of children) {
    if (c === null || c === undefined) continue;
    if (Array.isArray(c)) flat.push(...c);
    else flat.push(c);
  }
  return { name, attrs: attrs ?? undefined, children: flat };
}

/** Escapes text and attribute values (also the characters XML 1.0 forbids, which we refuse). */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) {
    throw new Error(`text cannot be sent in XML (control character): ${JSON.stringify(text.slice(0, 40))}`);
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function renderXml(node: XmlChild): string {
  if (typeof node === 'string') return escapeXml(node);
  const attrs = Object.entries(node.attrs ?? {}).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const kids = node.children ?? [];
  if (kids.length === 0) return `<${node.name}${attrs}/>`;
  return `<${node.name}${attrs}>${kids.map(renderXml).join('')}</${node.name}>`;
}

export function xmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${renderXml(root)}`;
}

/** A parsed element: attributes under `@_name`, text under `#text`, children by local name. */
export type ParsedXml = { [key: string]: ParsedXml | ParsedXml[] | string | undefined };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  textNodeName: '#text',
  processEntities: true,
  // A text-only element is a plain string; one with attributes is { '#text', '@_...' } (see textOf).
  alwaysCreateTextNode: false,
});

export function parseXml(text: string): ParsedXml {
  return parser.parse(text) as ParsedXml;
}

/** One child or several, always as a list. */
export function asList<T>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** The text of an element that may carry attributes. */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && '#text' in (v as object)) return String((v as Record<string, unknown>)['#text'] ?? '');
  return '';
}
