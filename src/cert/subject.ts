import * as forge from 'node-forge';
import { InvalidInput } from '../exception';

/**
 * One attribute of a distinguished name, in node-forge's form. `valueTagClass` is the ASN.1 string
 * type of the value (node-forge's typings call it a class, but it is a universal tag number).
 */
export type SubjectAttribute = forge.pki.CertificateField;

// The attribute names nova.conf subjects use (OpenSSL's `-subj` short names that node-forge knows).
const KNOWN = new Set(['C', 'ST', 'L', 'O', 'OU', 'CN', 'E', 'emailAddress']);
// RFC 5280 PrintableString alphabet; anything else (an `_` in a project id, say) goes as UTF8String.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Nova's timestamp in subjects (oslo's isotime): 2017-02-01T12:34:56Z. */
export function isoTime(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * Builds a subject from a nova.conf template such as `/C=US/O=OpenStack/CN=%.16s-%.16s-%s`: the
 * `%s` and `%.Ns` (at most N characters) take `args` in order, `%%` is a percent sign. The template is
 * split into attributes before the values are filled in, so a `/` or `=` inside a project or user id
 * cannot add attributes.
 */
export function buildSubject(template: string, args: string[], option: string): SubjectAttribute[] {
  if (!template.startsWith('/')) throw badTemplate(option, template, 'it must start with / (like /C=US/O=OpenStack/CN=%s)');
  let next = 0;
  const fill = (valueTemplate: string) => valueTemplate.replace(/%(?:\.(\d+))?s|%%/g, (m, max?: string) => {
    if (m === '%%') return '%';
    if (next >= args.length) throw badTemplate(option, template, `it has more %s than the ${args.length} values given`);
    const v = args[next++];
    return max === undefined ? v : v.slice(0, Number(max));
  });
  const attrs = template.slice(1).split('/').map((part): SubjectAttribute => {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : '';
    if (!KNOWN.has(key)) throw badTemplate(option, template, `'${part}' is not NAME=value with NAME one of ${[...KNOWN].join(', ')}`);
    const value = fill(part.slice(eq + 1));
    const valueTagClass = (PRINTABLE.test(value) ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as number as forge.asn1.Class;
    return key === 'emailAddress' ? { name: 'emailAddress', value, valueTagClass } : { shortName: key, value, valueTagClass };
  });
  if (next < args.length) throw badTemplate(option, template, `it has fewer %s than the ${args.length} values it is filled with`);
  return attrs;
}

function badTemplate(option: string, template: string, why: string): Error {
  return new InvalidInput({ reason: `[crypto] ${option} '${template}' is not usable: ${why}` });
}
