import { strict as assert } from 'node:assert';
import { maskPassword, nodeAddress, parseBrokerUrl } from '../../src/rpc/amqp/broker-url';
import { TransportError } from '../../src/rpc/errors';

describe('AMQP broker URL', () => {
  it('reads host, port, credentials and masks the password', () => {
    assert.deepEqual(parseBrokerUrl('amqp://guest:s%40cret@127.0.0.1:5673/'), {
      host: '127.0.0.1', port: 5673, tls: false, username: 'guest', password: 's@cret', vhost: undefined,
      display: 'amqp://guest:****@127.0.0.1:5673/',
    });
    assert.equal(parseBrokerUrl('amqp://u:p@broker/').port, 5672);
    assert.equal(parseBrokerUrl('amqps://u:p@broker/').port, 5671);
    assert.equal(parseBrokerUrl('amqps://u:p@broker/').tls, true);
  });

  it('takes the vhost from the path; empty or / means the default vhost', () => {
    assert.equal(parseBrokerUrl('amqp://u:p@h:5672/nova').vhost, 'nova');
    assert.equal(parseBrokerUrl('amqp://u:p@h:5672/%2Fprod').vhost, '/prod');
    assert.equal(parseBrokerUrl('amqp://u:p@h:5672/').vhost, undefined);
    assert.equal(parseBrokerUrl('amqp://u:p@h:5672/%2F').vhost, undefined);
  });

  it('refuses what is not one broker URL, without showing the password', () => {
    assert.throws(() => parseBrokerUrl('amqp://u:topsecret@h1:5672,h2:5672/'), (e: Error) => e instanceof TransportError && !e.message.includes('topsecret'));
    assert.throws(() => parseBrokerUrl('not a url'), TransportError);
  });

  it('masks only the password', () => {
    assert.equal(maskPassword('amqp://nova:pw@rabbit:5672/v'), 'amqp://nova:****@rabbit:5672/v');
    assert.equal(maskPassword('amqp://rabbit:5672/'), 'amqp://rabbit:5672/');
  });

  it('maps targets to RabbitMQ AMQP 1.0 addresses', () => {
    assert.equal(nodeAddress({ topic: 'conductor' }), '/queue/conductor');
    assert.equal(nodeAddress({ topic: 'compute', server: 'host1' }), '/queue/compute.host1');
    assert.equal(nodeAddress({ topic: 'compute', fanout: true }), '/topic/compute');
  });
});
