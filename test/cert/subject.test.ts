import { strict as assert } from 'node:assert';
import * as forge from 'node-forge';
import { buildSubject, isoTime } from '../../src/cert/subject';

describe('cert/subject', () => {
  const USER = '/C=US/ST=California/O=OpenStack/OU=NovaDev/CN=%.16s-%.16s-%s';

  it("fills Nova's user subject, cutting project and user at 16 characters", () => {
    const attrs = buildSubject(USER, ['0123456789abcdef0123', 'alice', '2017-01-01T00:00:00Z'], 'user_cert_subject');
    assert.deepEqual(attrs.map((a) => [a.shortName, a.value]), [
      ['C', 'US'], ['ST', 'California'], ['O', 'OpenStack'], ['OU', 'NovaDev'], ['CN', '0123456789abcdef-alice-2017-01-01T00:00:00Z'],
    ]);
  });

  it('keeps a / or = inside an id in the value instead of making new attributes', () => {
    const attrs = buildSubject(USER, ['p/CN=evil', 'u=x', 'T'], 'user_cert_subject');
    assert.equal(attrs.length, 5);
    assert.equal(attrs[4].value, 'p/CN=evil-u=x-T');
  });

  it('encodes printable values as PrintableString and others (an underscore) as UTF8String', () => {
    const [cn] = buildSubject('/CN=%s', ['proj_1'], 'x');
    assert.equal(cn.valueTagClass as unknown as number, forge.asn1.Type.UTF8);
    const [c] = buildSubject('/C=US', [], 'x');
    assert.equal(c.valueTagClass as unknown as number, forge.asn1.Type.PRINTABLESTRING);
  });

  it('refuses templates that do not match their values, naming the option', () => {
    assert.throws(() => buildSubject('/CN=%s-%s', ['a'], 'project_cert_subject'), /\[crypto\] project_cert_subject .* more %s/);
    assert.throws(() => buildSubject('/CN=%s', ['a', 'b'], 'project_cert_subject'), /fewer %s/);
    assert.throws(() => buildSubject('CN=%s', ['a'], 'user_cert_subject'), /must start with \//);
    assert.throws(() => buildSubject('/XX=%s', ['a'], 'user_cert_subject'), /'XX=%s' is not NAME=value/);
  });

  it("formats timestamps as oslo's isotime", () => {
    assert.equal(isoTime(new Date('2017-02-03T04:05:06.789Z')), '2017-02-03T04:05:06Z');
  });
});
