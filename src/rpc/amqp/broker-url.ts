import { TransportError } from '../errors';
import { Target } from '../types';

/** Where the broker is and how to log in, from `[DEFAULT] transport_url`. */
export interface BrokerUrl {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** RabbitMQ virtual host from the URL path; undefined means the default `/`. */
  vhost?: string;
  /** The URL with its password masked, for every message a user may read. */
  display: string;
}

export function maskPassword(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/[^:@/]*):[^@/]*@/i, '$1:****@');
}

export function parseBrokerUrl(url: string): BrokerUrl {
  const display = maskPassword(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError(`transport_url '${display}' is not a URL: use amqp://user:pass@host:5672/`);
  }
  if (u.hostname.includes(',') || u.host === '') {
    throw new TransportError(`transport_url '${display}' must name one broker host: use amqp://user:pass@host:5672/`);
  }
  const tls = u.protocol === 'amqps:';
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : tls ? 5671 : 5672,
    tls,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    vhost: path === '' || path === '/' ? undefined : path,
    display,
  };
}

/**
 * The AMQP node a target maps to on RabbitMQ's AMQP 1.0 plugin: `/queue/NAME` is a queue of that
 * name (competing consumers), `/topic/KEY` publishes to amq.topic and gives each subscriber a queue.
 */
export function nodeAddress(t: Target): string {
  if (t.fanout) return `/topic/${t.topic}`;
  return t.server ? `/queue/${t.topic}.${t.server}` : `/queue/${t.topic}`;
}

/** The hint every "cannot connect" line ends with. */
export const CONNECT_HINT = 'check [DEFAULT] transport_url and that RabbitMQ runs with the rabbitmq_amqp1_0 plugin';
