import { strict as assert } from 'node:assert';
import { hoursInWindow, parseUsageTime, summarizeUsage, UsageFlavor } from '../../src/compute/tenant_usage';
import { UsageInstance } from '../../src/db/api/usage';

const t = (iso: string) => new Date(`${iso}Z`);
const START = t('2026-01-01T00:00:00');
const STOP = t('2026-01-02T00:00:00');

describe('simple tenant usage arithmetic', () => {
  it('counts the hours of [launched, terminated) inside the window', () => {
    assert.equal(hoursInWindow(t('2026-01-01T06:00:00'), null, START, STOP), 18, 'running until the end');
    assert.equal(hoursInWindow(t('2025-12-31T00:00:00'), null, START, STOP), 24, 'launched before the window');
    assert.equal(hoursInWindow(t('2026-01-01T06:00:00'), t('2026-01-01T07:30:00'), START, STOP), 1.5);
    assert.equal(hoursInWindow(t('2025-12-01T00:00:00'), t('2026-01-01T02:15:00'), START, STOP), 2.25, 'terminated inside');
    assert.equal(hoursInWindow(t('2025-12-01T00:00:00'), t('2025-12-31T23:00:00'), START, STOP), 0, 'terminated before');
    assert.equal(hoursInWindow(t('2026-01-03T00:00:00'), null, START, STOP), 0, 'launched after');
    assert.equal(hoursInWindow(null, null, START, STOP), 0, 'never launched');
    assert.equal(hoursInWindow(t('2026-01-01T12:00:00'), t('2026-01-05T00:00:00'), START, STOP), 12, 'terminated after the window');
  });

  it('sums memory_mb, local_gb and vcpus times hours per project, keeping server usages when detailed', () => {
    const small: UsageFlavor = { name: 'm1.tiny', memory_mb: 512, root_gb: 1, ephemeral_gb: 0, vcpus: 1 };
    const big: UsageFlavor = { name: 'm1.big', memory_mb: 4096, root_gb: 40, ephemeral_gb: 10, vcpus: 4 };
    const inst = (uuid: string, project: string, f: UsageFlavor | null, launched: string, terminated?: string): UsageInstance & { usageFlavor: UsageFlavor | null } => ({
      uuid, display_name: `vm-${uuid}`, project_id: project, vm_state: 'active', launched_at: t(launched),
      terminated_at: terminated ? t(terminated) : null, deleted: !!terminated, flavor: null, instance_type_id: null, usageFlavor: f,
    });
    const now = t('2026-01-03T00:00:00');
    const { tenants, servers } = summarizeUsage([
      inst('a', 'p1', small, '2026-01-01T00:00:00'),
      inst('b', 'p1', big, '2026-01-01T12:00:00', '2026-01-01T18:00:00'),
      inst('c', 'p2', big, '2025-12-31T00:00:00'),
      inst('d', 'p2', null, '2026-01-01T00:00:00'),
    ], START, STOP, now, true);
    assert.equal(servers.length, 3, 'an instance without flavor is left out');
    const [p1, p2] = tenants;
    assert.equal(p1.tenant_id, 'p1');
    assert.equal(p1.total_hours, 24 + 6);
    assert.equal(p1.total_memory_mb_usage, 512 * 24 + 4096 * 6);
    assert.equal(p1.total_local_gb_usage, 1 * 24 + 50 * 6);
    assert.equal(p1.total_vcpus_usage, 1 * 24 + 4 * 6);
    assert.equal(p1.server_usages!.length, 2);
    const b = p1.server_usages![1];
    assert.equal(b.state, 'terminated');
    assert.equal(b.uptime, 6 * 3600);
    assert.equal(b.local_gb, 50);
    assert.equal(p1.server_usages![0].uptime, 48 * 3600, 'running: until now');
    assert.equal(p1.server_usages![0].state, 'active');
    assert.equal(p2.total_hours, 24);
    assert.equal(p2.total_vcpus_usage, 96);
    const brief = summarizeUsage([inst('a', 'p1', small, '2026-01-01T00:00:00')], START, STOP, now, false);
    assert.equal(brief.tenants[0].server_usages, undefined);
    assert.equal(brief.servers.length, 1);
  });

  it('parses window bounds in Nova\'s three formats, as UTC', () => {
    const now = new Date();
    assert.equal(parseUsageTime(undefined, now), now);
    assert.equal(parseUsageTime('2026-01-01T10:20:30', now).toISOString(), '2026-01-01T10:20:30.000Z');
    assert.equal(parseUsageTime('2026-01-01T10:20:30.123456', now).toISOString(), '2026-01-01T10:20:30.123Z');
    assert.equal(parseUsageTime('2026-01-01 10:20:30.5', now).toISOString(), '2026-01-01T10:20:30.500Z');
    for (const bad of ['2026-01-01', '2026-01-01 10:20:30', '2026-13-01T00:00:00', '2026-02-30T00:00:00', 'yesterday', '2026-01-01T10:20:30Z']) {
      assert.throws(() => parseUsageTime(bad, now), /Invalid datetime string: Datetime is in invalid format/, bad);
    }
  });
});
