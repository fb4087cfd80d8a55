import { strict as assert } from 'node:assert';
import { renderTemplate, TemplateError } from '../../../src/drivers/libvirt/template';

describe('libvirt/template', () => {
  it('fills and escapes values, dotted names too', () => {
    assert.equal(renderTemplate("<a n='{{name}}'>{{v.x}}</a>", { name: `<&'">`, v: { x: 3 } }), "<a n='&lt;&amp;&apos;&quot;&gt;'>3</a>");
  });

  it('repeats a section per list item, with the item in scope over the outer one', () => {
    const t = 'start\n  {{#disks}}\n  <d dev="{{dev}}" t="{{type}}"/>\n  {{/disks}}\nend\n';
    assert.equal(renderTemplate(t, { type: 'outer', disks: [{ dev: 'vda' }, { dev: 'vdb', type: 'inner' }] }),
      'start\n  <d dev="vda" t="outer"/>\n  <d dev="vdb" t="inner"/>\nend\n');
  });

  it('shows a section for true and objects, hides it for false, null, empty; inverted does the opposite', () => {
    const t = '{{#a}}A{{/a}}{{^a}}!A{{/a}}';
    assert.equal(renderTemplate(t, { a: true }), 'A');
    assert.equal(renderTemplate(t, { a: { x: 1 } }), 'A');
    for (const a of [false, null, [], '']) assert.equal(renderTemplate(t, { a }), '!A');
    assert.equal(renderTemplate('{{#k}}<kernel>{{k}}</kernel>{{/k}}', { k: '/x' }), '<kernel>/x</kernel>');
  });

  it('drops comment lines and standalone section lines whole', () => {
    assert.equal(renderTemplate('{{! note }}\na\n{{#x}}\nb\n{{/x}}\nc\n', { x: false }), 'a\nc\n');
  });

  it('refuses undefined values and unbalanced sections, naming the file', () => {
    assert.throws(() => renderTemplate('{{nope}}', {}, 'f.xml'), (e: Error) => e instanceof TemplateError && /f\.xml: \{\{nope\}\} has no value/.test(e.message));
    assert.throws(() => renderTemplate('{{#a}}x', { a: true }, 'f.xml'), /never closed/);
    assert.throws(() => renderTemplate('{{#a}}x{{/b}}', { a: true }, 'f.xml'), /closes/);
    assert.throws(() => renderTemplate('{{o}}', { o: { x: 1 } }), /no printable value/);
  });
});
