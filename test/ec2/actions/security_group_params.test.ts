import { strict as assert } from 'node:assert';
import { ingressRules, permissionsParam } from '../../../src/ec2/actions/security_group_params';

describe('EC2 IpPermissions parameters', () => {
  it('reads the structured form: each CIDR and source group is one rule', () => {
    const perms = permissionsParam({
      'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '80', 'IpPermissions.1.ToPort': '81',
      'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8', 'IpPermissions.1.IpRanges.2.CidrIp': '192.0.2.0/24',
      'IpPermissions.1.Groups.1.GroupId': 'sg-00000002',
      'IpPermissions.2.IpProtocol': '17', 'IpPermissions.2.FromPort': '53', 'IpPermissions.2.ToPort': '53',
    });
    assert.deepEqual(ingressRules(perms), [
      { ip_protocol: 'tcp', from_port: '80', to_port: '81', cidr: '10.0.0.0/8' },
      { ip_protocol: 'tcp', from_port: '80', to_port: '81', cidr: '192.0.2.0/24' },
      { ip_protocol: 'tcp', from_port: '80', to_port: '81', cidr: null, source: { GroupId: 'sg-00000002', GroupName: undefined, UserId: undefined } },
      { ip_protocol: 'udp', from_port: '53', to_port: '53', cidr: '0.0.0.0/0' },
    ]);
  });

  it('reads the flat form and expands all traffic to tcp, udp and icmp', () => {
    const rules = ingressRules(permissionsParam({ IpProtocol: '-1', SourceSecurityGroupName: 'web' }));
    assert.deepEqual(rules.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.source?.GroupName]), [
      ['icmp', -1, -1, 'web'], ['tcp', 1, 65535, 'web'], ['udp', 1, 65535, 'web'],
    ]);
    assert.deepEqual(permissionsParam({ GroupName: 'x' }), []);
  });

  it('refuses protocols nova-network cannot filter and ports without a protocol', () => {
    assert.throws(() => ingressRules(permissionsParam({ IpProtocol: '47', CidrIp: '10.0.0.0/8' })), { code: 'InvalidParameterValue' });
    assert.throws(() => ingressRules(permissionsParam({ IpProtocol: '-1', FromPort: '22', CidrIp: '10.0.0.0/8' })), { code: 'InvalidParameterValue' });
  });
});
