import { strict as assert } from 'node:assert';
import { decodeResponse, encodeCall, XmlRpcFault } from '../../../src/drivers/xenapi/xmlrpc';

describe('drivers/xenapi XML-RPC codec', () => {
  it('writes a methodCall with typed params, escaping strings', () => {
    assert.equal(encodeCall('VM.start', ['OpaqueRef:1', false, 3, 1.5, ['a'], { k: 'v<&>' }]),
      '<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>VM.start</methodName><params>' +
      '<param><value><string>OpaqueRef:1</string></value></param><param><value><boolean>0</boolean></value></param>' +
      '<param><value><int>3</int></value></param><param><value><double>1.5</double></value></param>' +
      '<param><value><array><data><value><string>a</string></value></data></array></value></param>' +
      '<param><value><struct><member><name>k</name><value><string>v&lt;&amp;&gt;</string></value></member></struct></value></param>' +
      '</params></methodCall>');
  });

  it('refuses integers past 32 bits (XAPI takes int64 as strings) and null', () => {
    assert.throws(() => encodeCall('x', [2 ** 40]), /send it as a string/);
    assert.throws(() => encodeCall('x', [null as unknown as string]), /no null/);
  });

  it('reads untyped and typed values, empty ones, one-element arrays and nested structs, keeping spaces in strings', () => {
    const xml = `<?xml version="1.0"?>
<methodResponse>
  <params>
    <param>
      <value><struct>
        <member><name>Status</name><value>Success</value></member>
        <member><name>Value</name><value><struct>
          <member><name>name</name><value>  spaced  </value></member>
          <member><name>empty</name><value></value></member>
          <member><name>emptystr</name><value><string/></value></member>
          <member><name>n</name><value><i4>-7</i4></value></member>
          <member><name>b</name><value><boolean>1</boolean></value></member>
          <member><name>d</name><value><double>2.5</double></value></member>
          <member><name>one</name><value><array><data><value>OpaqueRef:x</value></data></array></value></member>
          <member><name>none</name><value><array><data></data></array></value></member>
          <member><name>map</name><value><struct><member><name>a&amp;b</name><value>c</value></member></struct></value></member>
        </struct></value></member>
      </struct></value>
    </param>
  </params>
</methodResponse>`;
    assert.deepEqual(decodeResponse(xml), {
      Status: 'Success',
      Value: { name: '  spaced  ', empty: '', emptystr: '', n: -7, b: true, d: 2.5, one: ['OpaqueRef:x'], none: [], map: { 'a&b': 'c' } },
    });
  });

  it('throws an XML-RPC fault with its code and text', () => {
    const xml = '<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member>' +
      '<member><name>faultString</name><value>Too many parameters</value></member></struct></value></fault></methodResponse>';
    assert.throws(() => decodeResponse(xml), (e: Error) => e instanceof XmlRpcFault && e.faultCode === 4 && /Too many parameters/.test(e.message));
  });
});
