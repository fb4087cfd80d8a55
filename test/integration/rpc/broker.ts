import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../../src/conf/loader';
import { Logger, nullLogger, StreamLogger } from '../../../src/lib/log';
import { getTransport } from '../../../src/rpc/transport';
import { Transport } from '../../../src/rpc/types';

/** The broker the AMQP integration tests use (loopback RabbitMQ with the AMQP 1.0 plugin). */
export const BROKER_URL = process.env.NOVA_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';

export const testLog = process.env.NOVA_TEST_LOG ? new StreamLogger('amqp-test', { level: 'debug' }) : nullLogger;

export function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function pings(): boolean {
  try { execFileSync('rabbitmq-diagnostics', ['-q', 'ping'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/**
 * Makes sure RabbitMQ runs (starting it if not), and that queues these tests leave behind (their
 * names start with `test<pid>x`) expire once unused: RabbitMQ never deletes them by itself.
 */
export async function ensureBroker(): Promise<void> {
  if (!pings()) {
    execFileSync('rabbitmq-server', ['-detached'], { stdio: 'ignore' });
    const deadline = Date.now() + 60000;
    while (!pings()) {
      if (Date.now() > deadline) throw new Error('RabbitMQ did not start within 60s (rabbitmq-server -detached)');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  rabbitmqctl('set_policy', 'nova-test-expire', '^test[0-9]+x', '{"expires":60000}', '--apply-to', 'queues');
}

/** A started AMQP transport made the way a daemon makes it: from nova.conf options. */
export async function amqpTransport(overrides: Record<string, string> = {}, log: Logger = testLog): Promise<Transport> {
  const { conf } = loadConfig({
    overrides: {
      transport_url: BROKER_URL,
      'oslo_messaging_amqp.connection_retry_interval': '0.2',
      'oslo_messaging_amqp.connection_retry_backoff': '0.2',
      'oslo_messaging_amqp.connection_retry_interval_max': '1',
      ...overrides,
    },
  });
  const t = getTransport(conf, log);
  await t.start();
  return t;
}

export async function waitFor(what: string, cond: () => boolean, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${ms / 1000}s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
