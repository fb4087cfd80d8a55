import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRule, PolicyEnforcer, registerPolicies } from '../../src/api/policy';
import { makeContext } from '../../src/context';
import { PolicyNotAuthorized } from '../../src/exception';

describe('api/policy', () => {
  const member = makeContext({ user_id: 'u1', project_id: 'p1', roles: ['member'] });
  const reader = makeContext({ user_id: 'u2', project_id: 'p1', roles: ['reader'] });
  const admin = makeContext({ user_id: 'a', project_id: 'admin', roles: ['admin'] });
  registerPolicies([
    { name: 'test:owner', check: 'rule:project_member_or_admin' },
    { name: 'test:read', check: 'rule:project_reader_or_admin' },
    { name: 'test:admin', check: 'rule:admin_api' },
  ]);

  it('applies the project member/reader/admin defaults with role implication', () => {
    const e = new PolicyEnforcer([]);
    assert.equal(e.check(member, 'test:owner', { project_id: 'p1' }), true);
    assert.equal(e.check(member, 'test:owner', { project_id: 'p2' }), false);
    assert.equal(e.check(reader, 'test:owner', { project_id: 'p1' }), false);
    assert.equal(e.check(reader, 'test:read', { project_id: 'p1' }), true);
    assert.equal(e.check(admin, 'test:owner', { project_id: 'p2' }), true);
    assert.equal(e.check(member, 'test:admin'), false);
    assert.throws(() => e.authorize(member, 'test:admin'), (x: Error) => x instanceof PolicyNotAuthorized && x.message === "Policy doesn't allow test:admin to be performed.");
  });

  it('parses and, or, not, parentheses, @ and !', () => {
    const creds = { ...member, roles: ['member'] };
    const e = new PolicyEnforcer([]);
    const check = (text: string, target = {}) => parseRule(text)(creds, target, e);
    assert.equal(check('@'), true);
    assert.equal(check('!'), false);
    assert.equal(check('role:member and not role:admin'), true);
    assert.equal(check('(role:admin or role:member) and user_id:%(user_id)s', { user_id: 'u1' }), true);
    assert.equal(check('role:admin or (role:member and project_id:%(project_id)s)', { project_id: 'other' }), false);
    assert.equal(check("user_id:'u1'"), true);
  });

  it('takes overrides from a policy file and picks up changes without a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pol-'));
    const file = path.join(dir, 'policy.yaml');
    const e = new PolicyEnforcer([file], 0);
    assert.equal(e.check(member, 'test:admin'), false);
    fs.writeFileSync(file, '"test:admin": "role:member"\n');
    assert.equal(e.check(member, 'test:admin'), true);
    fs.writeFileSync(file, '{"test:admin": "!", "x": "y"}');
    assert.equal(e.check(admin, 'test:admin'), false);
    fs.rmSync(dir, { recursive: true });
  });
});
