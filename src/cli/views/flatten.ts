/**
 * novaclient's flatten_dict: JSON strings decoded, nested objects merged into the top level with
 * `parent_child` keys (`service: {host}` -> `service_host`); empty objects and lists stay as they are.
 */
export function flattenDict(data: Record<string, unknown>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) decoded[k] = typeof v === 'string' ? tryJson(v) : v;
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}_${k}` : k);
    } else {
      out[prefix] = value;
    }
  };
  for (const [k, v] of Object.entries(decoded)) walk(v, k);
  return out;
}

function tryJson(s: string): unknown {
  try { return JSON.parse(s); } catch { return s; }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
