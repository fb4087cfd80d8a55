/**
 * Nova's extra_specs_ops: a requirement such as `>= 4`, `<in> avx`, `s== x86_64` or `<or> a <or> b`
 * matched against one value (from a host or an aggregate). A bare requirement must equal the value.
 */
type Op = (value: string, wanted: string[]) => boolean;

const num = (s: string): number => {
  const n = Number(s);
  if (s.trim() === '' || Number.isNaN(n)) throw new RangeError(`not a number: ${s}`);
  return n;
};

const OPS: Record<string, Op> = {
  '=': (v, w) => num(v) >= num(w[0]),
  '<in>': (v, w) => v.includes(w[0]),
  '<all-in>': (v, w) => w.every((x) => v.includes(x)),
  '==': (v, w) => num(v) === num(w[0]),
  '!=': (v, w) => num(v) !== num(w[0]),
  '>=': (v, w) => num(v) >= num(w[0]),
  '<=': (v, w) => num(v) <= num(w[0]),
  's==': (v, w) => v === w[0],
  's!=': (v, w) => v !== w[0],
  's<': (v, w) => v < w[0],
  's<=': (v, w) => v <= w[0],
  's>': (v, w) => v > w[0],
  's>=': (v, w) => v >= w[0],
};

export function matchSpec(value: string, requirement: string): boolean {
  const words = requirement.trim().split(/\s+/);
  const op = words[0];
  if (op === '<or>') {
    // `<or> a <or> b`: the value equals one of the alternatives.
    const alternatives = words.filter((_, i) => i % 2 === 1);
    return alternatives.includes(value);
  }
  if (op === '<all-in>') {
    // Nova wants the values in brackets: `<all-in> [a, b]` or `<all-in> a b`.
    const items = words.slice(1).join(' ').replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
    return items.length > 0 && OPS['<all-in>'](value, items);
  }
  const method = OPS[op];
  if (!method || words.length < 2) return value === requirement;
  try { return method(value, words.slice(1)); } catch { return false; }
}
