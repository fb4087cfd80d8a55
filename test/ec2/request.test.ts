import { strict as assert } from 'node:assert';
import { Ec2Error } from '../../src/ec2/errors';
import { filtersParam, listParam, matchesFilter, requestParams, required, structListParam } from '../../src/ec2/request';
import { errorXml, responseXml } from '../../src/ec2/xml';

describe('EC2 request parsing', () => {
  it('merges the query string and the form body, the body winning', () => {
    assert.deepEqual(requestParams('Action=A&Version=1', 'Action=B&X=y%20z'), { Action: 'B', Version: '1', X: 'y z' });
  });

  it('reads numbered lists in index order, gaps allowed', () => {
    const p = { 'InstanceId.10': 'c', 'InstanceId.2': 'b', 'InstanceId.1': 'a', 'InstanceIdX.1': 'no', Other: 'x' };
    assert.deepEqual(listParam(p, 'InstanceId'), ['a', 'b', 'c']);
  });

  it('reads structured lists and filters', () => {
    const p = { 'Tag.2.Key': 'k2', 'Tag.1.Key': 'k1', 'Tag.1.Value': 'v1', 'Filter.1.Name': 'tag:role', 'Filter.1.Value.2': 'db', 'Filter.1.Value.1': 'web*' };
    assert.deepEqual(structListParam(p, 'Tag'), [{ Key: 'k1', Value: 'v1' }, { Key: 'k2' }]);
    const f = filtersParam(p);
    assert.deepEqual(f, [{ name: 'tag:role', values: ['web*', 'db'] }]);
    assert.equal(matchesFilter(f, 'tag:role', 'webserver'), true);
    assert.equal(matchesFilter(f, 'tag:role', 'cache'), false);
    assert.equal(matchesFilter(f, 'tag:role', undefined), false);
    assert.equal(matchesFilter(f, 'other', 'anything'), true);
  });

  it('names a missing parameter with MissingParameter', () => {
    assert.throws(() => required({}, 'ImageId'), (e: Ec2Error) => e.code === 'MissingParameter' && /ImageId/.test(e.message));
  });
});

describe('EC2 XML answers', () => {
  it('wraps the answer in <ActionResponse> with EC2 namespace, requestId first, arrays as items, nulls left out', () => {
    const xml = responseXml('DescribeKeyPairs', 'req-1', { keySet: [{ keyName: 'a<b', keyFingerprint: 'f', keyType: null }], return: true });
    assert.equal(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
      + '<requestId>req-1</requestId><keySet><item><keyName>a&lt;b</keyName><keyFingerprint>f</keyFingerprint></item></keySet><return>true</return>'
      + '</DescribeKeyPairsResponse>');
  });

  it("answers errors in EC2's <Response><Errors> shape", () => {
    assert.equal(errorXml('InvalidAction', 'no & no', 'r'), '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidAction</Code>'
      + '<Message>no &amp; no</Message></Error></Errors><RequestID>r</RequestID></Response>');
  });
});
