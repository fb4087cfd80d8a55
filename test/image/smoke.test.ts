import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { glanceClient } from '../helpers/glance';

describe('smoke', () => {
  let cloud: TestCloud;
  before(async () => { cloud = await startCloud({ daemons: ['image'] }); });
  after(async () => { await cloud.stop(); });
  it('works', async () => {
    const g = glanceClient(cloud.rt.endpoints.image);
    const r = await g('POST', '/v2/images', { body: { name: 'x', disk_format: 'raw', container_format: 'bare', foo: 'bar' } });
    console.log(r.status, r.body);
    const up = await g('PUT', `/v2/images/${r.body.id}/file`, { raw: Buffer.from('hello') });
    console.log(up.status, up.text);
    console.log((await g('GET', `/v2/images?limit=1`)).body);
    const d = await g('GET', `/v2/images/${r.body.id}/file`);
    console.log(d.status, d.text, [...d.headers]);
    console.log((await g('GET', `/v2/images/nope`, { headers: { accept: '*/*' } })).text);
    assert.ok(true);
  });
});
