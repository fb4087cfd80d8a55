import { strict as assert } from 'node:assert';
import { Vif } from '../../../src/drivers/driver';
import { HostExecutor, RunResult } from '../../../src/drivers/libvirt/executor/types';
import { VifPlugger } from '../../../src/drivers/libvirt/vifs';
import { nullLogger } from '../../../src/lib/log';

/** An executor that records commands; `ip link show dev X` succeeds for the taps in `inHostNs`. */
function recorder(inHostNs: string[]): { exec: HostExecutor; ran: string[] } {
  const ran: string[] = [];
  const exec = {
    description: 'test',
    async run(cmd: string, args: string[]): Promise<RunResult> {
      ran.push([cmd, ...args].join(' '));
      const shown = cmd === 'ip' && args[0] === 'link' && args[1] === 'show';
      return { code: shown && !inHostNs.includes(args[3]) ? 1 : 0, stdout: '', stderr: '' };
    },
  } as unknown as HostExecutor;
  return { exec, ran };
}

const vif = (id: string, bridge: string | null, devname?: string): Vif => ({
  id, address: 'fa:16:3e:00:00:01', type: 'bridge', devname, network: { id: 'n', bridge, label: 'private', subnets: [] },
});

describe('libvirt/vifs', () => {
  it('does nothing without a network namespace: libvirt plugs the tap into the bridge', async () => {
    const { exec, ran } = recorder(['tap1']);
    const p = new VifPlugger(exec, '', nullLogger);
    assert.equal(p.plugsItself, false);
    await p.plug({ uuid: 'u', network_info: [vif('1', 'br100', 'tap1')] });
    assert.deepEqual(ran, []);
  });

  it('moves a new tap into the namespace and enslaves it to its bridge; a tap already there is only enslaved', async () => {
    const { exec, ran } = recorder(['tap1']);
    const p = new VifPlugger(exec, 'ns1', nullLogger);
    await p.plug({ uuid: 'u', network_info: [vif('1', 'br100', 'tap1'), vif('2', 'br200', 'tap2')] });
    assert.deepEqual(ran, [
      'ip link show dev tap1', 'ip link set dev tap1 netns ns1', 'ip netns exec ns1 ip link set dev tap1 master br100 up',
      'ip link show dev tap2', 'ip netns exec ns1 ip link set dev tap2 master br200 up',
    ]);
  });

  it('refuses a VIF without a bridge or a tap name, naming it', async () => {
    const p = new VifPlugger(recorder([]).exec, 'ns1', nullLogger);
    await assert.rejects(p.plug({ uuid: 'u', network_info: [vif('3', null, 'tap3')] }), /VIF 3 of instance u has no bridge/);
    await assert.rejects(p.plug({ uuid: 'u', network_info: [vif('4', 'br100')] }), /VIF 4 of instance u has no tap device name/);
  });
});
