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

  it('joins multipart uploads in part order, checking the parts\' ETags', async () => {
    await store.createBucket('bk2', 'p1');
    const id = await store.createUpload('bk2', 'big');
    const e2 = await store.putPart('bk2', 'big', id, 2, Buffer.from('world'));
    const e1 = await store.putPart('bk2', 'big', id, 1, Buffer.from('hello '));
    await assert.rejects(store.completeUpload('bk2', 'big', id, [{ partNumber: 2, etag: e2 }, { partNumber: 1, etag: e1 }]), { code: 'InvalidPartOrder' });
    await assert.rejects(store.completeUpload('bk2', 'big', id, [{ partNumber: 1, etag: e2 }]), { code: 'InvalidPart' });
    const etag = await store.completeUpload('bk2', 'big', id, [{ partNumber: 1, etag: `"${e1}"` }, { partNumber: 2, etag: e2 }]);
    assert.match(etag, /^[0-9a-f]{32}-2$/);
    assert.equal((await store.readObject('bk2', 'big')).toString(), 'hello world');
    await assert.rejects(store.putPart('bk2', 'big', id, 3, Buffer.from('late')), { code: 'NoSuchUpload' });
    const other = await store.createUpload('bk2', 'x');
    await assert.rejects(store.putPart('bk2', 'big', other, 1, Buffer.from('wrong key')), { code: 'NoSuchUpload' });
    await store.abortUpload('bk2', 'x', other);
    await assert.rejects(store.completeUpload('bk2', 'x', other, [{ partNumber: 1, etag: e1 }]), { code: 'NoSuchUpload' });
  });
});
