/**
 * A small placeholder template renderer for the domain XML (a subset of Mustache, no package):
 *   {{name}}                 the value, XML-escaped; an undefined name is an error (catches typos)
 *   {{#name}}..{{/name}}     a list: the block once per item (the item's fields in scope);
 *                            an object: once with its fields in scope; true: once; false/null/empty: not at all
 *   {{^name}}..{{/name}}     the block only when name is false, null, undefined or an empty list
 *   {{! comment }}           dropped
 * Names may be dotted (`vnc.listen`). A line holding only a section tag is dropped whole.
 */
export type TemplateValue = string | number | boolean | null | undefined | TemplateScope | TemplateScope[];
export interface TemplateScope { [key: string]: TemplateValue }

type Node = { kind: 'text'; text: string } | { kind: 'var'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

export class TemplateError extends Error {
  constructor(message: string) { super(message); this.name = 'TemplateError'; }
}

const TAG = /[ \t]*\{\{([#^/!])\s*([\w.]*)[^}]*\}\}[ \t]*(\r?\n)?|\{\{\s*([\w.]+)\s*\}\}/g;

export function parseTemplate(source: string, file = 'template'): Node[] {
  const root: Node[] = [];
  const stack: Array<{ name: string; children: Node[] }> = [{ name: '', children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const at = m.index ?? 0;
    const top = stack[stack.length - 1].children;
    if (m[4] !== undefined) { // inline {{name}}
      top.push({ kind: 'text', text: source.slice(last, at) }, { kind: 'var', name: m[4] });
      last = at + m[0].length;
      continue;
    }
    const [whole, sigil, name, newline] = m;
    const lineStart = at === 0 || source[at - 1] === '\n';
    // A tag alone on its line takes the line with it; otherwise keep the spaces around it.
    const standalone = lineStart && (newline !== undefined || at + whole.length === source.length);
    const lead = standalone ? '' : whole.match(/^[ \t]*/)?.[0] ?? '';
    const trail = standalone ? '' : whole.slice(whole.lastIndexOf('}}') + 2);
    top.push({ kind: 'text', text: source.slice(last, at) + lead });
    if (sigil === '#' || sigil === '^') {
      const node: Node = { kind: 'section', name, inverted: sigil === '^', children: [] };
      top.push(node);
      stack.push({ name, children: node.children });
    } else if (sigil === '/') {
      const open = stack.pop();
      if (!open || open.name !== name || stack.length === 0) throw new TemplateError(`${file}: {{/${name}}} closes ${open?.name ? `{{#${open.name}}}` : 'nothing'}`);
    }
    stack[stack.length - 1].children.push({ kind: 'text', text: trail });
    last = at + whole.length;
  }
  if (stack.length !== 1) throw new TemplateError(`${file}: {{#${stack[stack.length - 1].name}}} is never closed`);
  root.push({ kind: 'text', text: source.slice(last) });
  return root;
}

function lookup(scopes: TemplateScope[], name: string): { found: boolean; value: TemplateValue } {
  const [head, ...rest] = name.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (!(head in scopes[i])) continue;
    let value: TemplateValue = scopes[i][head];
    for (const part of rest) {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !(part in value)) return { found: false, value: undefined };
      value = (value as TemplateScope)[part];
    }
    return { found: true, value };
  }
  return { found: false, value: undefined };
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function renderNodes(nodes: Node[], scopes: TemplateScope[], file: string): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') { out += n.text; continue; }
    const { found, value } = lookup(scopes, n.name);
    if (n.kind === 'var') {
      if (!found || value === undefined || (typeof value === 'object' && value !== null)) {
        throw new TemplateError(`${file}: {{${n.name}}} has no ${found ? 'printable ' : ''}value`);
      }
      out += xmlEscape(value === null ? '' : String(value));
      continue;
    }
    const empty = value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
    if (n.inverted) {
      if (empty) out += renderNodes(n.children, scopes, file);
    } else if (Array.isArray(value)) {
      for (const item of value) out += renderNodes(n.children, [...scopes, item], file);
    } else if (!empty) {
      out += renderNodes(n.children, typeof value === 'object' ? [...scopes, value as TemplateScope] : scopes, file);
    }
  }
  return out;
}

export function renderTemplate(source: string, scope: TemplateScope, file = 'template'): string {
  return renderNodes(parseTemplate(source, file), [scope], file);
}
