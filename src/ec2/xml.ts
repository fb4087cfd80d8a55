/**
 * EC2's XML answers: `<ActionResponse xmlns=...><requestId/>...</ActionResponse>`, objects as child
 * elements in the order given, arrays as `<item>` children (so a `fooSet` key holding an array gives
 * EC2's `<fooSet><item>..</item></fooSet>`), null and undefined left out.
 */
export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[c]!));
}

function render(name: string, v: XmlValue): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return `<${name}>${v.map((i) => render('item', i)).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v).map(([k, c]) => render(k, c)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

/** The success body of `action` (e.g. DescribeInstances -> DescribeInstancesResponse). */
export function responseXml(action: string, requestId: string, body: Record<string, XmlValue>): string {
  const inner = Object.entries({ requestId, ...body }).map(([k, v]) => render(k, v)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">${inner}</${action}Response>`;
}

/** EC2's error body (note `RequestID` here, `requestId` in answers, as AWS spells them). */
export function errorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`;
}
