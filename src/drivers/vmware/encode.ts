import { el, XmlChild } from '../../lib/xml';

/**
 * vSphere SOAP values as we write them: the schema is a sequence, so fields go out in the order the
 * object lists them (callers write them in the WSDL's order). Managed object references, typed
 * (xsi:type) data objects and typed primitives for `anyType` slots each have a marker class.
 */
export class MoRef {
  constructor(readonly type: string, readonly value: string) {}
  toString(): string { return `${this.type}:${this.value}`; }
  equals(o: MoRef | undefined): boolean { return !!o && o.type === this.type && o.value === this.value; }
}

/** A data object whose element must carry its concrete type (VirtualDisk in a `device` slot, ...). */
export class Typed {
  constructor(readonly xsiType: string, readonly fields: SoapFields) {}
}

/** A primitive in an `anyType` slot, e.g. OptionValue.value: `<value xsi:type="xsd:string">`. */
export class XsdValue {
  constructor(readonly xsiType: 'xsd:string' | 'xsd:int' | 'xsd:long' | 'xsd:boolean', readonly value: string | number | boolean) {}
}

export type SoapValue = string | number | boolean | MoRef | Typed | XsdValue | SoapFields | SoapValue[] | undefined | null;
export interface SoapFields { [field: string]: SoapValue }

export const typed = (xsiType: string, fields: SoapFields): Typed => new Typed(xsiType, fields);
export const xsdString = (v: string): XsdValue => new XsdValue('xsd:string', v);

/** One field as XML elements (an array becomes repeated elements, undefined becomes nothing). */
export function encodeField(name: string, value: SoapValue): XmlChild[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => encodeField(name, v));
  if (value instanceof MoRef) return [el(name, { type: value.type }, value.value)];
  if (value instanceof XsdValue) return [el(name, { 'xsi:type': value.xsiType }, String(value.value))];
  if (value instanceof Typed) return [el(name, { 'xsi:type': value.xsiType }, encodeFields(value.fields))];
  if (typeof value === 'object') return [el(name, null, encodeFields(value))];
  return [el(name, null, String(value))];
}

export function encodeFields(fields: SoapFields): XmlChild[] {
  return Object.entries(fields).flatMap(([k, v]) => encodeField(k, v));
}
