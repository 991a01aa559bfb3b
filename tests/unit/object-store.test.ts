import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, UsageError } from '../../scheduler/errors.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import { openObjectStore } from '../../scheduler/object-store/open-store.ts';
import { createS3Store, parseS3Url } from '../../scheduler/object-store/s3-store.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';

/** One contract, two drivers: a directory and a real S3-protocol server (s3rver) on loopback. */
const dirs: string[] = [];
let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aerial-object-store-'));
  dirs.push(dir);
  return dir;
}

let s3Runs = 0;
const drivers: Array<[string, () => ObjectStore]> = [
  ['filesystem', () => createFsStore(tempDir())],
  ['s3', () => createS3Store(`s3://${s3.bucket}/run-${++s3Runs}`, s3.env)],
];

async function text(stream: Readable | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  return Buffer.concat(await stream.toArray()).toString('utf8');
}

describe.each(drivers)('object store contract (%s driver)', (_name, open) => {
  it('writes an immutable object once: the same bytes again are a no-op, other bytes a ConflictError', async () => {
    const store = open();
    expect(await store.putImmutable('published/days/a.json', '{"a":1}')).toBe('written');
    expect(await store.putImmutable('published/days/a.json', '{"a":1}')).toBe('exists');
    await expect(store.putImmutable('published/days/a.json', '{"a":2}')).rejects.toThrow(ConflictError);
    expect((await store.get('published/days/a.json'))?.toString()).toBe('{"a":1}');
  });

  it('writes a file once, and a different file under the same key is refused', async () => {
    const store = open();
    const dir = tempDir();
    writeFileSync(join(dir, 'seg.ts'), Buffer.alloc(4000, 7));
    writeFileSync(join(dir, 'other.ts'), Buffer.alloc(4000, 8));
    expect(await store.putImmutableFile('media/a1/v1/seg00000.ts', join(dir, 'seg.ts'))).toBe('written');
    expect(await store.putImmutableFile('media/a1/v1/seg00000.ts', join(dir, 'seg.ts'))).toBe('exists');
    await expect(store.putImmutableFile('media/a1/v1/seg00000.ts', join(dir, 'other.ts'))).rejects.toThrow(
      /exists with other bytes/,
    );
    expect(await store.head('media/a1/v1/seg00000.ts')).toMatchObject({ size: 4000 });
  });

  it('streams a whole object or an inclusive byte range of it', async () => {
    const store = open();
    await store.putImmutable('media/a2/v1/seg00001.ts', '0123456789');
    expect(await text(await store.stream('media/a2/v1/seg00001.ts'))).toBe('0123456789');
    expect(await text(await store.stream('media/a2/v1/seg00001.ts', { start: 2, end: 5 }))).toBe('2345');
  });

  it('answers undefined for an absent key on every read', async () => {
    const store = open();
    expect(await store.get('nothing/here.json')).toBeUndefined();
    expect(await store.head('nothing/here.json')).toBeUndefined();
    expect(await store.stream('nothing/here.json')).toBeUndefined();
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('lists keys under a prefix in order, and nothing outside it', async () => {
    const store = open();
    for (const key of ['media/b/v2/s1.ts', 'media/b/v1/s2.ts', 'media/b/v1/s1.ts', 'media/bb/v1/s1.ts']) {
      await store.putImmutable(key, key);
    }
    expect(await store.list('media/b/')).toEqual(['media/b/v1/s1.ts', 'media/b/v1/s2.ts', 'media/b/v2/s1.ts']);
  });

  it('replaces a manifest whole', async () => {
    const store = open();
    await store.putManifest('published/index.json', '{"v":1}');
    await store.putManifest('published/index.json', '{"v":2,"more":"bytes"}');
    expect((await store.get('published/index.json'))?.toString()).toBe('{"v":2,"more":"bytes"}');
    expect(await store.list('published/')).toEqual(['published/index.json']);
  });

  it('deletes an object (an absent one is no error), and refuses a bad key', async () => {
    const store = open();
    await store.putImmutable('published/days/c1/old.json', 'old');
    await store.putImmutable('published/days/c1/new.json', 'new');
    await store.delete('published/days/c1/old.json');
    await store.delete('published/days/c1/never.json');
    expect(await store.get('published/days/c1/old.json')).toBeUndefined();
    expect(await store.list('published/days/c1/')).toEqual(['published/days/c1/new.json']);
    await expect(store.delete('../x')).rejects.toThrow(/object key/);
  });

  it('refuses keys that could leave the store or hide as temporary files', async () => {
    const store = open();
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', '.hidden/x', 'a/b\\c', '']) {
      await expect(store.putImmutable(key, 'x'), key).rejects.toThrow(/object key/);
    }
  });
});

describe('the filesystem driver', () => {
  it('of two concurrent writers of one key, one writes and the other finds it', async () => {
    const store = createFsStore(tempDir());
    const outcomes = await Promise.all([
      store.putImmutable('k/x.json', 'same'),
      store.putImmutable('k/x.json', 'same'),
    ]);
    expect(outcomes.sort()).toEqual(['exists', 'written']);
    expect(await store.list('k/')).toEqual(['k/x.json']);
  });

  it('takes a file already at its key as written (the default store is the data directory)', async () => {
    const dir = tempDir();
    const store = createFsStore(dir);
    await store.putImmutable('media/a/v1/s.ts', 'bytes');
    expect(await store.putImmutableFile('media/a/v1/s.ts', join(dir, 'media', 'a', 'v1', 's.ts'))).toBe('exists');
  });
});

describe('the S3 driver', () => {
  it('reads an object again when the connection is cut in the middle of its bytes', async () => {
    const body = 'x'.repeat(256 * 1024);
    await createS3Store(`s3://${s3.bucket}/cut`, s3.env).putImmutable('published/days/cut.json', body);
    // A loopback proxy in front of s3rver that cuts the first answer for that key after its first bytes.
    const upstream = new URL(s3.env.AWS_ENDPOINT_URL_S3!);
    let reads = 0;
    const proxy = createServer((req, res) => {
      const cut = req.method === 'GET' && req.url!.includes('cut.json') && reads++ === 0;
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          if (!cut) return void answer.pipe(res);
          answer.once('data', (chunk: Buffer) => {
            answer.destroy();
            res.write(chunk.subarray(0, 1000), () => res.socket!.destroy());
          });
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const store = createS3Store(`s3://${s3.bucket}/cut`, { ...s3.env, AWS_ENDPOINT_URL_S3: endpoint });
      expect((await store.get('published/days/cut.json'))?.toString()).toBe(body);
      expect(reads).toBe(2);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('--store values', () => {
  it('opens the data directory by default, a directory, or an s3:// URL', () => {
    expect(openObjectStore(undefined, '/data', {}).url).toBe('file:///data/');
    expect(openObjectStore('/mnt/shared', '/data', {}).localRoot).toBe('/mnt/shared');
    expect(openObjectStore('s3://media-bucket/aerial/prod', '/data', s3.env).url).toBe(
      's3://media-bucket/aerial/prod/',
    );
  });

  it('names what is wrong with a bad value', () => {
    expect(() => openObjectStore('http://example.invalid/x', '/data', {})).toThrow(UsageError);
    expect(() => parseS3Url('s3://Bad_Bucket/x')).toThrow(/not s3:\/\/bucket/);
    expect(() => parseS3Url('s3://bucket/../x')).toThrow(/object key/);
  });
});
