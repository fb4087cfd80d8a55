import { strict as assert } from 'node:assert';
import { encodeFields, MoRef, typed, xsdString } from '../../../src/drivers/vmware/encode';
import { attachRootDiskSpec, createSpec } from '../../../src/drivers/vmware/vm_spec';
import { el, renderXml } from '../../../src/lib/xml';

const render = (fields: Parameters<typeof encodeFields>[0]) => renderXml(el('x', null, encodeFields(fields)));

describe('drivers/vmware SOAP encoding', () => {
  it('writes fields in the given order, repeats arrays, skips undefined, escapes text', () => {
    assert.equal(render({ b: 1, a: ['x', 'y'], c: undefined, d: true, e: 'a<b&"c"' }),
      '<x><b>1</b><a>x</a><a>y</a><d>true</d><e>a&lt;b&amp;&quot;c&quot;</e></x>');
  });

  it('writes managed object references with their type, typed objects and anyType primitives with xsi:type', () => {
    assert.equal(render({ obj: new MoRef('VirtualMachine', 'vm-42'), spec: typed('TraversalSpec', { path: 'view' }), value: xsdString('1') }),
      '<x><obj type="VirtualMachine">vm-42</obj><spec xsi:type="TraversalSpec"><path>view</path></spec><value xsi:type="xsd:string">1</value></x>');
  });

  it('refuses control characters XML cannot carry', () => {
    assert.throws(() => render({ a: 'bell\u0007' }), /control character/);
  });

  it('builds a VM config spec in the WSDL order with Nova\'s extraConfig', () => {
    const xml = renderXml(el('config', null, encodeFields(createSpec({
      uuid: 'u-1', displayName: 'web', datastore: 'ds1', guestId: 'otherGuest', vnc: { port: 5901, keymap: 'en-us' }, nics: [],
      flavor: { id: 1, flavorid: '1', name: 'f', memory_mb: 256, vcpus: 2, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: {} },
    }))));
    const order = [...xml.matchAll(/<(name|instanceUuid|guestId|annotation|files|numCPUs|memoryMB|extraConfig)[ >]/g)].map((m) => m[1]);
    assert.deepEqual(order, ['name', 'instanceUuid', 'guestId', 'annotation', 'files', 'numCPUs', 'memoryMB', 'extraConfig', 'extraConfig', 'extraConfig', 'extraConfig']);
    assert.match(xml, /<extraConfig xsi:type="OptionValue"><key>nvp\.vm-uuid<\/key><value xsi:type="xsd:string">u-1<\/value><\/extraConfig>/);
    assert.match(xml, /<key>RemoteDisplay\.vnc\.port<\/key><value xsi:type="xsd:string">5901<\/value>/);
    assert.match(xml, /<files><vmPathName>\[ds1\]<\/vmPathName><\/files><numCPUs>2<\/numCPUs><memoryMB>256<\/memoryMB>/);
  });

  it('attaches the existing root disk with no file operation', () => {
    const existing = renderXml(el('spec', null, encodeFields(attachRootDiskSpec('[ds] u/u.vmdk'))));
    assert.doesNotMatch(existing, /fileOperation/);
    assert.match(existing, /<device xsi:type="VirtualDisk"><key>-101<\/key><backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>\[ds\] u\/u\.vmdk<\/fileName>/);
    assert.match(existing, /<controllerKey>-100<\/controllerKey><unitNumber>0<\/unitNumber>/);
  });
});
