import * as fs from 'node:fs';
import YAML from 'yaml';
import { RequestContext } from '../context';
import { PolicyNotAuthorized } from '../exception';

/**
 * A policy engine with oslo.policy's rule language: `role:admin`, `rule:name`, `is_admin:True`,
 * `project_id:%(project_id)s`, `@`, `!`, `and`, `or`, `not` and parentheses. Defaults are
 * registered in code; a policy file (YAML or JSON) overrides them and is re-read when it changes.
 */

export interface PolicyDefault {
  name: string;
  check: string;
  description?: string;
  operations?: Array<{ method: string; path: string }>;
}

type Target = Record<string, unknown>;
type Creds = RequestContext;
type Check = (creds: Creds, target: Target, enforcer: PolicyEnforcer) => boolean;

const defaults = new Map<string, PolicyDefault>();

/** Registers default rules; a rule of the same name replaces the earlier one. */
export function registerPolicies(rules: PolicyDefault[]): void {
  for (const r of rules) defaults.set(r.name, r);
}

export function listPolicyDefaults(): PolicyDefault[] {
  return [...defaults.values()];
}

// Nova's base rules (nova/policies/base.py).
registerPolicies([
  { name: 'context_is_admin', check: 'role:admin' },
  { name: 'admin_or_owner', check: 'is_admin:True or project_id:%(project_id)s' },
  { name: 'admin_api', check: 'is_admin:True' },
  { name: 'project_manager_api', check: 'role:manager and project_id:%(project_id)s' },
  { name: 'project_member_api', check: 'role:member and project_id:%(project_id)s' },
  { name: 'project_reader_api', check: 'role:reader and project_id:%(project_id)s' },
  { name: 'project_manager_or_admin', check: 'rule:project_manager_api or rule:context_is_admin' },
  { name: 'project_member_or_admin', check: 'rule:project_member_api or rule:context_is_admin' },
  { name: 'project_reader_or_admin', check: 'rule:project_reader_api or rule:context_is_admin' },
  { name: 'service_api', check: 'role:service' },
  { name: 'service_or_admin', check: 'rule:service_api or rule:context_is_admin' },
]);

function tokenize(text: string): string[] {
  // Parentheses group, except inside a `%(name)s` target reference.
  return text.match(/[^\s()]*%\([^)]*\)s[^\s()]*|\(|\)|[^\s()]+/g) ?? [];
}

function interpolate(value: string, target: Target): string | undefined {
  const m = /^%\((\w[\w.]*)\)s$/.exec(value);
  if (!m) return value;
  let v: unknown = target;
  for (const k of m[1].split('.')) v = (v as Record<string, unknown>)?.[k];
  return v === undefined || v === null ? undefined : String(v);
}

function leaf(token: string): Check {
  if (token === '@') return () => true;
  if (token === '!') return () => false;
  const i = token.indexOf(':');
  if (i < 0) throw new Error(`policy check '${token}' is not of the form kind:match`);
  const kind = token.slice(0, i);
  const match = token.slice(i + 1);
  if (kind === 'rule') return (c, t, e) => e.checkRule(match, c, t);
  if (kind === 'role') return (c, t) => {
    const want = interpolate(match, t)?.toLowerCase();
    return !!want && c.roles.some((r) => r.toLowerCase() === want);
  };
  if (kind === 'is_admin') return (c) => String(c.is_admin).toLowerCase() === match.toLowerCase();
  // Generic check: a credential field compared with a literal or a target field.
  return (c, t) => {
    const have = (c as unknown as Record<string, unknown>)[kind];
    const want = match.startsWith("'") ? match.replace(/^'|'$/g, '') : interpolate(match, t);
    if (have === undefined || have === null || want === undefined) return false;
    return String(have) === want;
  };
}

/** Parses oslo.policy's grammar with `or` < `and` < `not` precedence. */
export function parseRule(text: string): Check {
  const tokens = tokenize(text);
  if (tokens.length === 0) return () => true; // an empty rule allows everyone, as in oslo.policy
  let pos = 0;
  const peek = () => tokens[pos];
  const orExpr = (): Check => {
    const parts = [andExpr()];
    while (peek()?.toLowerCase() === 'or') { pos++; parts.push(andExpr()); }
    return parts.length === 1 ? parts[0] : (c, t, e) => parts.some((p) => p(c, t, e));
  };
  const andExpr = (): Check => {
    const parts = [notExpr()];
    while (peek()?.toLowerCase() === 'and') { pos++; parts.push(notExpr()); }
    return parts.length === 1 ? parts[0] : (c, t, e) => parts.every((p) => p(c, t, e));
  };
  const notExpr = (): Check => {
    if (peek()?.toLowerCase() === 'not') { pos++; const inner = notExpr(); return (c, t, e) => !inner(c, t, e); }
    if (peek() === '(') {
      pos++;
      const inner = orExpr();
      if (tokens[pos++] !== ')') throw new Error(`policy rule '${text}': missing ')'`);
      return inner;
    }
    const tok = tokens[pos++];
    if (tok === undefined) throw new Error(`policy rule '${text}' ends too early`);
    return leaf(tok);
  };
  const check = orExpr();
  if (pos !== tokens.length) throw new Error(`policy rule '${text}': unexpected '${tokens[pos]}'`);
  return check;
}

/** Keystone's default role implications: admin implies member, member implies reader. */
export function expandRoles(roles: string[]): string[] {
  const out = new Set(roles.map((r) => r.toLowerCase()));
  if (out.has('admin')) out.add('member');
  if (out.has('member')) out.add('reader');
  return [...out];
}

export class PolicyEnforcer {
  private overrides: Record<string, string> = {};
  private compiled = new Map<string, Check>();
  private fileStamp = '';
  private lastStat = 0;

  /** `files`: candidate policy files; the first that exists is used. */
  constructor(private files: string[] = [], private statIntervalMs = 1000) {}

  private reloadIfChanged(): void {
    const now = Date.now();
    if (now - this.lastStat < this.statIntervalMs) return;
    this.lastStat = now;
    const file = this.files.find((f) => fs.existsSync(f));
    const stamp = file ? `${file}:${fs.statSync(file).mtimeMs}:${fs.statSync(file).size}` : '';
    if (stamp === this.fileStamp) return;
    this.fileStamp = stamp;
    this.compiled.clear();
    this.overrides = {};
    if (!file) return;
    const text = fs.readFileSync(file, 'utf8');
    const parsed = (text.trim().startsWith('{') ? JSON.parse(text) : YAML.parse(text)) ?? {};
    for (const [k, v] of Object.entries(parsed)) this.overrides[k] = String(v);
  }

  private rule(name: string): Check | undefined {
    let c = this.compiled.get(name);
    if (c) return c;
    const text = this.overrides[name] ?? defaults.get(name)?.check;
    if (text === undefined) return undefined;
    c = parseRule(text);
    this.compiled.set(name, c);
    return c;
  }

  checkRule(name: string, creds: Creds, target: Target): boolean {
    const c = this.rule(name);
    return c ? c(creds, target, this) : false;
  }

  /** True when `ctx` may do `action` on `target`. */
  check(ctx: RequestContext, action: string, target: Target = {}): boolean {
    this.reloadIfChanged();
    const creds = { ...ctx, roles: expandRoles(ctx.roles) };
    const c = this.rule(action);
    if (!c) throw new Error(`policy rule ${action} is not registered`);
    return c(creds, { project_id: ctx.project_id, user_id: ctx.user_id, ...target }, this);
  }

  /** Throws Nova's 403 when `ctx` may not do `action`. */
  authorize(ctx: RequestContext, action: string, target: Target = {}): void {
    if (!this.check(ctx, action, target)) throw new PolicyNotAuthorized({ action });
  }
}
