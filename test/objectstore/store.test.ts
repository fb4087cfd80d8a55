import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BucketStore } from '../../src/objectstore/store';

describe('nova-objectstore bucket store', () => {
  let root = '';
  let store: BucketStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-buckets-'));
    store = new BucketStore(path.join(root, 'buckets'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates buckets once, owned by a project', async () => {
    await store.createBucket('bundles', 'p1');
    await assert.rejects(store.createBucket('bundles', 'p1'), { code: 'BucketAlreadyOwnedByYou', status: 409 });
    await assert.rejects(store.createBucket('bundles', 'p2'), { code: 'BucketAlreadyExists' });
    await assert.rejects(store.createBucket('Bad_Name', 'p1'), { code: 'InvalidBucketName' });
    assert.deepEqual((await store.listBuckets()).map((b) => [b.name, b.owner]), [['bundles', 'p1']]);
  });

  it('puts, reads, lists and deletes objects whatever their keys', async () => {
    await store.createBucket('bk1', 'p1');
    const etag = await store.putObject('bk1', 'dir/a part.00', Buffer.from('hello'));
    assert.equal(etag, '5d41402abc4b2a76b9719d911017c592');
    await store.putObject('bk1', '.hidden', Buffer.from('x'));
    assert.equal((await store.readObject('bk1', 'dir/a part.00')).toString(), 'hello');
    assert.deepEqual((await store.listObjects('bk1')).map((o) => [o.key, o.size]), [['.hidden', 1], ['dir/a part.00', 5]]);
    assert.deepEqual((await store.listObjects('bk1', 'dir/')).map((o) => o.key), ['dir/a part.00']);
    await assert.rejects(store.readObject('bk1', 'nope'), { code: 'NoSuchKey', status: 404 });
    await assert.rejects(store.deleteBucket('bk1'), { code: 'BucketNotEmpty' });
    await store.deleteObject('bk1', 'dir/a part.00');
    await store.deleteObject('bk1', '.hidden');
    await store.deleteBucket('bk1');
    await assert.rejects(store.listObjects('bk1'), { code: 'NoSuchBucket' });
  });
});
