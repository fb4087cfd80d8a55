import { NovaConf } from '../conf/schema';
import { Logger } from '../lib/log';
import { TransportError } from './errors';
import { MemoryTransport } from './memory';
import { Transport } from './types';

const memory = new Map<string, MemoryTransport>();

/**
 * The transport named by `[DEFAULT] transport_url`. Every service of one process that names the same
 * `memory://` URL shares one in-process transport.
 */
export function getTransport(conf: NovaConf, log: Logger): Transport {
  const url = conf.DEFAULT.transport_url;
  if (url.startsWith('memory://') || url.startsWith('fake://')) {
    let t = memory.get(url);
    if (!t) { t = new MemoryTransport(url); memory.set(url, t); }
    return t;
  }
  if (/^amqps?:\/\//.test(url)) {
    // Loaded on demand: the embedded mode never needs the AMQP client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AmqpTransport } = require('./amqp');
    return new AmqpTransport(url, conf.oslo_messaging_amqp, log) as Transport;
  }
  if (/^rabbit:\/\//.test(url)) {
    throw new TransportError(`transport_url '${url.replace(/:[^:@/]*@/, ':****@')}': rabbit:// is AMQP 0.9; use amqp://user:pass@host:5672/ (RabbitMQ's AMQP 1.0 plugin)`);
  }
  throw new TransportError(`transport_url '${url}' is not supported: use memory:// or amqp://user:pass@host:port/`);
}

/** Forgets in-process transports (tests). */
export function resetMemoryTransports(): void {
  memory.clear();
}
