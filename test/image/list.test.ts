import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { glanceClient } from '../helpers/glance';

describe('Image API v2: list filters, sorting and paging', () => {
  let cloud: TestCloud;
  let g: ReturnType<typeof glanceClient>;
  const T = 'lister:pl';
  before(async () => {
    cloud = await startCloud({ daemons: ['image'] });
    g = glanceClient(cloud.rt.endpoints.image);
    const specs: Array<Record<string, unknown>> = [
      { name: 'alpha', disk_format: 'qcow2', container_format: 'bare', tags: ['linux', 'x86'], os_distro: 'debian' },
      { name: 'beta', disk_format: 'raw', container_format: 'bare', tags: ['linux'], os_distro: 'fedora' },
      { name: 'gamma', disk_format: 'iso', container_format: 'bare', tags: ['x86'], os_distro: 'debian' },
      { name: 'delta', disk_format: 'qcow2', container_format: 'ovf', protected: true },
      { name: 'epsilon', disk_format: 'vmdk', container_format: 'bare', os_hidden: true },
    ];
    for (const s of specs) await g('POST', '/v2/images', { token: T, body: s });
    const sized: Array<[string, number]> = [['alpha', 10], ['beta', 300], ['gamma', 5000]];
    const list = (await g('GET', '/v2/images', { token: T })).body.images as Array<{ id: string; name: string }>;
    for (const [name, n] of sized) {
      await g('PUT', `/v2/images/${list.find((i) => i.name === name)!.id}/file`, { token: T, raw: Buffer.alloc(n, 1) });
    }
  });
  after(async () => { await cloud.stop(); });

  const names = async (query: string) => {
    const r = await g('GET', `/v2/images${query}`, { token: T });
    assert.equal(r.status, 200, r.text);
    return (r.body.images as Array<{ name: string }>).map((i) => i.name);
  };

  it('lists newest first by default and leaves hidden images out unless asked', async () => {
    assert.deepEqual(await names(''), ['delta', 'gamma', 'beta', 'alpha']);
    assert.deepEqual(await names('?os_hidden=true'), ['epsilon']);
    const bad = await g('GET', '/v2/images?os_hidden=maybe', { token: T });
    assert.equal(bad.status, 400);
  });

  it('filters on name, status, formats, tags, custom properties, size range, protected and times', async () => {
    assert.deepEqual(await names('?name=beta'), ['beta']);
    assert.deepEqual(await names('?name=in:alpha,gamma&sort=name:asc'), ['alpha', 'gamma']);
    assert.deepEqual(await names('?status=queued'), ['delta']);
    assert.deepEqual(await names('?disk_format=qcow2&sort_key=name&sort_dir=asc'), ['alpha', 'delta']);
    assert.deepEqual(await names('?container_format=ovf'), ['delta']);
    assert.deepEqual(await names('?tag=linux&sort=name:asc'), ['alpha', 'beta']);
    assert.deepEqual(await names('?tag=linux&tag=x86'), ['alpha']);
    assert.deepEqual(await names('?os_distro=debian&sort=name:asc'), ['alpha', 'gamma']);
    assert.deepEqual(await names('?size_min=100&sort=size:asc'), ['beta', 'gamma']);
    assert.deepEqual(await names('?size_max=300&sort=size:desc'), ['beta', 'alpha']);
    assert.deepEqual(await names('?protected=true'), ['delta']);
    assert.deepEqual(await names('?owner=pl&visibility=shared&name=alpha'), ['alpha']);
    assert.deepEqual(await names('?updated_at=gte:2000-01-01T00:00:00Z&name=alpha'), ['alpha']);
    assert.deepEqual(await names('?created_at=lt:2000-01-01T00:00:00Z'), []);
    const badRange = await g('GET', '/v2/images?size_min=big', { token: T });
    assert.equal(badRange.status, 400);
    assert.equal(badRange.body.message, 'Unable to filter on a range with a non-numeric value.');
    const badOp = await g('GET', '/v2/images?name=like:al', { token: T });
    assert.equal(badOp.body.message, "Unable to filter by unknown operator 'like'.");
    const badTime = await g('GET', '/v2/images?created_at=gte:yesterday', { token: T });
    assert.equal(badTime.body.message, 'Bad "created_at" query filter format. Use ISO 8601 DateTime notation.');
    const changes = await g('GET', '/v2/images?changes-since=2000-01-01T00:00:00Z', { token: T });
    assert.equal(changes.body.message, 'The "changes-since" filter is no longer available on v2.');
  });

  it('sorts by one or several keys in both syntaxes, and refuses bad keys', async () => {
    assert.deepEqual(await names('?sort=name:asc'), ['alpha', 'beta', 'delta', 'gamma']);
    assert.deepEqual(await names('?sort_key=name&sort_dir=desc'), ['gamma', 'delta', 'beta', 'alpha']);
    assert.deepEqual(await names('?sort=disk_format:asc,name:desc'), ['gamma', 'delta', 'alpha', 'beta']);
    assert.deepEqual(await names('?sort_key=disk_format&sort_key=name&sort_dir=desc&sort_dir=asc'), ['beta', 'alpha', 'delta', 'gamma']);
    const bad = await g('GET', '/v2/images?sort_key=owner', { token: T });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'Invalid sort key: owner. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.');
    assert.equal((await g('GET', '/v2/images?sort_dir=up', { token: T })).body.message, 'Invalid sort direction: up');
    assert.equal((await g('GET', '/v2/images?sort=name&sort_key=name', { token: T })).body.message, 'Old and new sorting syntax cannot be combined');
    assert.equal((await g('GET', '/v2/images?sort_key=name&sort_key=size&sort_dir=asc&sort_dir=asc&sort_dir=asc', { token: T })).status, 400);
  });

  it('pages with limit and marker, giving next links until a page comes back short', async () => {
    const seen: string[] = [];
    let url = '/v2/images?limit=2&sort=name:asc';
    let pages = 0;
    for (;;) {
      const r = await g('GET', url, { token: T });
      assert.equal(r.status, 200);
      pages++;
      seen.push(...(r.body.images as Array<{ name: string }>).map((i) => i.name));
      assert.equal(r.body.first, '/v2/images?limit=2&sort=name%3Aasc');
      if (!r.body.next) break;
      assert.match(r.body.next, /^\/v2\/images\?limit=2&sort=name%3Aasc&marker=[0-9a-f-]{36}$/);
      url = r.body.next;
    }
    assert.deepEqual(seen, ['alpha', 'beta', 'delta', 'gamma']);
    assert.equal(pages, 3, 'a full last page still links to an empty one, as Glance does');
    const badLimit = await g('GET', '/v2/images?limit=-1', { token: T });
    assert.equal(badLimit.body.message, 'limit param must be positive');
    assert.equal((await g('GET', '/v2/images?limit=x', { token: T })).body.message, 'limit param must be an integer');
    const badMarker = await g('GET', '/v2/images?marker=00000000-0000-4000-8000-000000000000', { token: T });
    assert.equal(badMarker.status, 400);
    assert.equal((await g('GET', '/v2/images?member_status=maybe', { token: T })).body.message, 'Invalid status: maybe');
    assert.equal((await g('GET', '/v2/images?visibility=secret', { token: T })).body.message, 'Invalid visibility value: secret');
  });
});
