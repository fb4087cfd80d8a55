import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../../helpers/cloud';
import { openssl } from '../../helpers/openssl';
import { Bundle, bundleImage } from './bundle_maker';
import { AWS, awsRunner, Ec2Cloud, PYTHON, requireClients, run, startEc2Cloud } from './harness';

const BOTO3_IMAGES = path.join(__dirname, '..', '..', '..', '..', 'test', 'integration', 'ec2', 'clients', 'boto3_images.py');

/**
 * Bundled images as euca-bundle-image makes them (built here with openssl, tar, gzip and split, as
 * euca2ools is not in Debian 12), uploaded to nova-objectstore with `aws s3`, registered with
 * `aws ec2 register-image`: nova-cert decrypts the key, the image service ends up with the original bytes.
 */
describe('EC2 bundled images through nova-objectstore and nova-cert', function () {
  this.timeout(300000);
  let c: Ec2Cloud;
  let aws: ReturnType<typeof awsRunner>;
  let s3Url = '';
  let work = '';
  const files: Record<string, string> = {};

  before(async () => {
    requireClients();
    c = await startEc2Cloud({ daemons: ['cert', 'objectstore'], overrides: { 'crypto.use_project_ca': 'true' } });
    aws = awsRunner(c);
    s3Url = c.cloud.rt.endpoints.objectstore!;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bundle-test-'));
    // The cloud's certificate for this project (os-certificates root) and a user key and certificate.
    const root = await compute('GET', '/os-certificates/root');
    assert.equal(root.status, 200, JSON.stringify(root.body));
    files.cloudCert = path.join(work, 'cloud-cert.pem');
    fs.writeFileSync(files.cloudCert, root.body.certificate.data);
    const mine = await compute('POST', '/os-certificates');
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    files.userCert = path.join(work, 'cert.pem');
    files.userKey = path.join(work, 'pk.pem');
    fs.writeFileSync(files.userCert, mine.body.certificate.data);
    fs.writeFileSync(files.userKey, mine.body.certificate.private_key);
  });
  after(async () => {
    await c?.cloud.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  async function compute(method: string, url: string): Promise<{ status: number; body: any }> {
    const r = await fetch(`${c.cloud.computeUrl}${url}`, { method, headers: { 'x-auth-token': c.token } });
    return { status: r.status, body: await r.json() };
  }

  function s3(...args: string[]) {
    return run(AWS, [...args, '--endpoint-url', s3Url, '--region', 'nova', '--output', 'json'], {
      AWS_ACCESS_KEY_ID: c.access, AWS_SECRET_ACCESS_KEY: c.secret, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
    });
  }
  async function s3ok(...args: string[]): Promise<string> {
    const r = await s3(...args);
    if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  /** Writes an image file, bundles it, uploads the parts with `aws s3 cp` and the manifest with `aws s3api put-object`. */
  async function bundleAndUpload(name: string, bytes: Buffer, o: Partial<Parameters<typeof bundleImage>[2]> = {}): Promise<Bundle> {
    const src = path.join(work, 'src', name);
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.writeFileSync(src, bytes);
    const b = bundleImage(src, path.join(work, `bundle-${name}`), { cloudCert: files.cloudCert, userCert: files.userCert, userKey: files.userKey, partBytes: 96 * 1024, ...o });
    for (const p of b.parts) await s3ok('s3', 'cp', path.join(b.dir, p), `s3://bundles/${p}`);
    await s3ok('s3api', 'put-object', '--bucket', 'bundles', '--key', b.manifest, '--body', path.join(b.dir, b.manifest));
    return b;
  }

  const imageState = async (id: string) => (await aws.json('describe-images', '--image-ids', id)).Images[0];

  it('keeps bundle parts in a bucket of nova-objectstore', async () => {
    await s3ok('s3', 'mb', 's3://bundles');
    const again = await s3('s3', 'mb', 's3://bundles');
    assert.match(again.stderr, /BucketAlreadyOwnedByYou/);
    const listed = JSON.parse(await s3ok('s3api', 'list-buckets'));
    assert.deepEqual(listed.Buckets.map((b: any) => b.Name), ['bundles']);
    const bad = await run(AWS, ['s3api', 'list-buckets', '--endpoint-url', s3Url, '--region', 'nova'], {
      AWS_ACCESS_KEY_ID: c.access, AWS_SECRET_ACCESS_KEY: 'wrong', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1',
    });
    assert.match(bad.stderr, /SignatureDoesNotMatch/);
  });

  let kernelAki = '';
  it('registers a kernel bundle (aki)', async () => {
    const kernel = randomBytes(150 * 1024);
    const b = await bundleAndUpload('vmlinuz', kernel, { type: 'kernel' });
    assert.ok(b.parts.length >= 2, 'several parts');
    const listing = JSON.parse(await s3ok('s3api', 'list-objects-v2', '--bucket', 'bundles'));
    assert.deepEqual(listing.Contents.map((o: any) => o.Key).sort(), [...b.parts, b.manifest].sort());
    const reg = await aws.json('register-image', '--image-location', `bundles/${b.manifest}`, '--name', 'kernel-from-bundle');
    kernelAki = reg.ImageId;
    assert.match(kernelAki, /^aki-[0-9a-f]{8}$/);
    const img = await waitFor(async () => { const i = await imageState(kernelAki); return i.State === 'available' ? i : undefined; }, 60000, 'kernel available');
    assert.equal(img.ImageType, 'kernel');
    assert.equal(img.ImageLocation, `bundles/${b.manifest}`);
  });

  it('registers a machine bundle (10 MiB parts) whose content and kernel reach the image service', async () => {
    // euca-bundle-image's 10 MiB parts: `aws s3 cp` sends the first one as a multipart upload.
    const content = Buffer.concat([Buffer.from('NOVA-BUNDLE-TEST\n'), randomBytes(12 * 1024 * 1024)]);
    const b = await bundleAndUpload('disk.img', content, { kernelId: kernelAki, partBytes: 10 * 1024 * 1024 });
    assert.equal(b.parts.length, 2);
    const reg = await aws.json('register-image', '--image-location', `bundles/${b.manifest}`, '--name', 'bundled');
    assert.match(reg.ImageId, /^ami-[0-9a-f]{8}$/);
    const img = await waitFor(async () => { const i = await imageState(reg.ImageId); return i.State !== 'pending' ? i : undefined; }, 60000, 'machine image unbundled');
    assert.equal(img.State, 'available');
    assert.equal(img.Name, 'bundled');
    assert.equal(img.KernelId, kernelAki);
    assert.equal(img.Architecture, 'x86_64');
    // What the image service holds: the original bytes (checksum and content), private to the project.
    const glance = c.cloud.rt.endpoints.image!;
    const found = await (await fetch(`${glance}/v2/images?name=bundled`, { headers: { 'x-auth-token': c.token } })).json() as any;
    const meta = found.images[0];
    assert.equal(meta.checksum, createHash('md5').update(content).digest('hex'));
    assert.equal(meta.visibility, 'private');
    assert.equal(meta.disk_format, 'ami');
    assert.equal(meta.image_state, 'available');
    const kernelUuid = (await (await fetch(`${glance}/v2/images?name=kernel-from-bundle`, { headers: { 'x-auth-token': c.token } })).json() as any).images[0].id;
    assert.equal(meta.kernel_id, kernelUuid);
    const data = Buffer.from(await (await fetch(`${glance}/v2/images/${meta.id}/file`, { headers: { 'x-auth-token': c.token } })).arrayBuffer());
    assert.ok(data.equals(content));
  });

  it('registers, describes and deregisters the bundle again with boto3', async () => {
    const r = await run(PYTHON, [BOTO3_IMAGES, c.ec2Url, c.access, c.secret, 'bundles/disk.img.manifest.xml'], {});
    if (r.code !== 0) throw new Error(`boto3 images flow exited ${r.code}: ${r.stderr}\n${r.stdout}`);
    const steps = new Map(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((s) => [s.step, s]));
    const ami = steps.get('register').image_id;
    assert.match(ami, /^ami-[0-9a-f]{8}$/);
    assert.deepEqual(steps.get('described'), { step: 'described', state: 'available', name: 'boto3-bundle', location: 'bundles/disk.img.manifest.xml', mine: steps.get('described').mine });
    assert.ok(steps.get('described').mine.includes(ami));
    assert.equal(steps.get('after_deregister').error, 'InvalidAMIID.NotFound');
    // Deregistered means gone from the Image service too.
    const glance = c.cloud.rt.endpoints.image!;
    const left = await (await fetch(`${glance}/v2/images?name=boto3-bundle`, { headers: { 'x-auth-token': c.token } })).json() as any;
    assert.deepEqual(left.images, []);
  });

  it('marks a bundle whose key was not encrypted for this cloud failed', async () => {
    const other = path.join(work, 'other');
    fs.mkdirSync(other);
    const r = openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=not-this-cloud', '-days', '1', '-keyout', path.join(other, 'k.pem'), '-out', path.join(other, 'c.pem')]);
    assert.equal(r.code, 0, r.stderr);
    const b = await bundleAndUpload('alien.img', randomBytes(10 * 1024), { cloudCert: path.join(other, 'c.pem') });
    const reg = await aws.json('register-image', '--image-location', `bundles/${b.manifest}`, '--name', 'alien');
    const img = await waitFor(async () => { const i = await imageState(reg.ImageId); return i.State !== 'pending' ? i : undefined; }, 60000, 'alien bundle settled');
    assert.equal(img.State, 'failed');
    await aws.json('deregister-image', '--image-id', reg.ImageId);
    const gone = await aws.call('describe-images', '--image-ids', reg.ImageId);
    assert.match(gone.stderr, /InvalidAMIID\.NotFound/);
  });

  it('answers InvalidManifest for a location that holds no manifest', async () => {
    const missing = await aws.call('register-image', '--image-location', 'bundles/nothing.manifest.xml', '--name', 'x');
    assert.equal(missing.code, 254);
    assert.match(missing.stderr, /InvalidManifest/);
    const noBucket = await aws.call('register-image', '--image-location', 'no-such-bucket/x.manifest.xml', '--name', 'y');
    assert.match(noBucket.stderr, /InvalidManifest/);
  });
});
