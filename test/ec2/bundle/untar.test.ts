import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FirstTarFile } from '../../../src/ec2/bundle/untar';

async function firstFile(tar: Buffer, chunk = 700): Promise<{ name: string | null; data: Buffer }> {
  const parts: Buffer[] = [];
  for (let i = 0; i < tar.length; i += chunk) parts.push(tar.subarray(i, i + chunk));
  const untar = new FirstTarFile();
  const out: Buffer[] = [];
  await pipeline(Readable.from(parts), untar, async function* (src) { for await (const c of src) out.push(c as Buffer); });
  return { name: untar.name, data: Buffer.concat(out) };
}

describe('first file of a tar stream', () => {
  let dir = '';
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-untar-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes on the first file of what GNU tar makes, long names included, in any chunking', async () => {
    const content = randomBytes(5000);
    const long = `${'n'.repeat(120)}.img`;
    fs.writeFileSync(path.join(dir, long), content);
    fs.writeFileSync(path.join(dir, 'second'), 'other');
    const tar = execFileSync('tar', ['-c', '-C', dir, long, 'second']);
    for (const chunk of [1, 511, 512, 4096, tar.length]) {
      const got = await firstFile(tar, chunk);
      assert.equal(got.name, long);
      assert.ok(got.data.equals(content), `chunk ${chunk}`);
    }
  });

  it('fails on what is not a tar archive', async () => {
    await assert.rejects(firstFile(Buffer.alloc(2048, 0x41)), /not a tar archive/);
    await assert.rejects(firstFile(Buffer.alloc(1024, 0)), /holds no file/);
  });
});
