import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, NOVA_DAEMON_BIN, runCli, startDaemonProcess, writeConf } from '../../helpers/cli';
import { waitFor } from '../../helpers/cloud';

const BROKER = process.env.NOVA_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';
const DB = process.env.NOVA_TEST_MULTIHOST_DB_URL ?? 'postgresql://nova:nova@127.0.0.1/nova_multihost';

/**
 * The deployment the README describes for several hosts: control services in one process, a compute
 * service in another, joined only by RabbitMQ (AMQP 1.0) and PostgreSQL. The compute process is given an
 * unusable database URL: it works only because it never opens the database (everything goes through
 * the conductor).
 */
describe('several hosts over RabbitMQ and PostgreSQL', function () {
  this.timeout(180000);
  const children: Array<ReturnType<typeof startDaemonProcess>> = [];
  let api = '';
  const tag = `mh${process.pid}`;

  /** `nova service-list --json`, our client, as an operator would run it (noauth2 here). */
  const services = async () => {
    const r = await runCli(['service-list', '--json', '--os-token', 'admin:admin', '--os-endpoint-override', api]);
    if (r.code !== 0) throw new Error(`nova service-list failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Array<{ host: string; binary: string; state: string }>;
  };

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-mh-'));
    const port = await freePort();
    const common = { transport_url: BROKER, report_interval: 1, service_down_time: 4, rpc_response_timeout: 20 };
    const control = writeConf({
      DEFAULT: { ...common, host: `${tag}-ctl`, state_path: path.join(dir, 'ctl'), osapi_compute_listen: '127.0.0.1', osapi_compute_listen_port: port },
      database: { connection: DB }, api: { auth_strategy: 'noauth2' },
    });
    const compute = writeConf({
      DEFAULT: { ...common, host: `${tag}-cmp`, state_path: path.join(dir, 'cmp') },
      database: { connection: 'postgresql://nobody:wrong@127.0.0.1:1/none', max_retries: 0 },
    });
    const sync = await runCli(['db', 'sync', '--config-file', control]);
    assert.equal(sync.code, 0, sync.stderr);
    children.push(startDaemonProcess(['daemon', 'conductor', 'scheduler', 'api', '--config-file', control]));
    api = `http://127.0.0.1:${port}/v2.1`;
    await waitFor(async () => (await services()).some((s) => s.binary === 'nova-conductor' && s.host === `${tag}-ctl`), 30000, 'control services up');
    children.push(startDaemonProcess(['compute', '--config-file', compute], { bin: NOVA_DAEMON_BIN }));
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('lists a compute service of another process up, and down after service_down_time once it is killed', async () => {
    const host = `${tag}-cmp`;
    try {
      await waitFor(async () => (await services()).find((s) => s.host === host && s.binary === 'nova-compute' && s.state === 'up'), 30000, 'remote compute up');
    } catch (e) {
      throw new Error(`${(e as Error).message}\ncompute output:\n${children[1].output()}`);
    }
    const hv = await runCli(['hypervisor-list', '--json', '--os-token', 'admin:admin', '--os-endpoint-override', api]);
    const hypervisors = JSON.parse(hv.stdout) as Array<{ hypervisor_hostname: string; state: string }>;
    assert.ok(hypervisors.some((h) => h.hypervisor_hostname === host && h.state === 'up'), hv.stdout);
    children[1].kill('SIGKILL');
    const down = await waitFor(async () => (await services()).find((s) => s.host === host && s.binary === 'nova-compute' && s.state === 'down'), 30000, 'remote compute down');
    assert.equal(down.state, 'down');
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const ctl = children[0];
    const exited = new Promise<number | null>((resolve) => ctl.on('exit', (code) => resolve(code)));
    ctl.kill('SIGTERM');
    assert.equal(await exited, 0, ctl.output());
  });
});
