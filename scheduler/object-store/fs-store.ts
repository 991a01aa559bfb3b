import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { ConflictError } from '../errors.ts';
import { checkKey, checkPrefix, toBuffer, type ObjectStore, type PutOutcome } from './object-store.ts';

/**
 * The filesystem driver: a key is a path under the root directory (the default store is the data
 * directory itself, so `media/<assetId>/…` is where packaging already puts segments).
 * - Immutable objects are written to a temporary file beside the target, then hard-linked to the key:
 *   link(2) fails when the key exists, so of two writers exactly one creates it, and a reader sees the
 *   whole file or none. The temporary name starts with '.', which no key does, so it is never listed.
 * - Manifests are written to a temporary file and renamed over the key (rename(2) is atomic).
 */
export function createFsStore(rootDir: string): ObjectStore {
  const root = resolve(rootDir);
  const pathOf = (key: string) => join(root, ...checkKey(key).split('/'));

  return {
    url: pathToFileURL(root + sep).href,
    localRoot: root,
    async putImmutable(key, body) {
      const bytes = toBuffer(body);
      return createOnce(
        pathOf(key),
        key,
        (temp) => writeFile(temp, bytes, { flag: 'wx' }),
        async (path) => (await readFile(path)).equals(bytes),
      );
    },
    async putImmutableFile(key, filePath) {
      return createOnce(
        pathOf(key),
        key,
        (temp) => copyFile(filePath, temp),
        (path) => sameFileBytes(path, filePath),
      );
    },
    async putManifest(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = tempBeside(path);
      try {
        await writeFile(temp, toBuffer(body), { flag: 'wx' });
        await rename(temp, path);
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },
    get: async (key) => readFile(pathOf(key)).catch(absentAsUndefined),
    async stream(key, range) {
      const handle = await open(pathOf(key), 'r').catch(absentAsUndefined);
      if (!handle) return undefined;
      if ((await handle.stat()).isDirectory()) {
        await handle.close();
        return undefined;
      }
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {}) as Readable;
    },
    async head(key) {
      const info = await stat(pathOf(key)).catch(absentAsUndefined);
      return info?.isFile() ? { size: info.size, modifiedMs: Math.floor(info.mtimeMs) } : undefined;
    },
    async list(prefix) {
      const dir = join(root, ...checkPrefix(prefix).split('/').filter(Boolean));
      const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(absentAsUndefined);
      const keys: string[] = [];
      for (const entry of entries ?? []) {
        if (!entry.isFile()) continue;
        const key = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
        if (key.split('/').every((c) => !c.startsWith('.'))) keys.push(key);
      }
      return keys.sort();
    },
    async delete(key) {
      await unlink(pathOf(key)).catch(absentAsUndefined);
    },
  };
}

function tempBeside(path: string): string {
  return join(dirname(path), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Creates `path` from a filled temporary file with link(2), or compares with what is there. */
async function createOnce(
  path: string,
  key: string,
  fill: (temp: string) => Promise<void>,
  same: (path: string) => Promise<boolean>,
): Promise<PutOutcome> {
  if (await exists(path)) return existing(key, path, same);
  await mkdir(dirname(path), { recursive: true });
  const temp = tempBeside(path);
  try {
    await fill(temp);
    await link(temp, path);
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return existing(key, path, same);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function existing(key: string, path: string, same: (path: string) => Promise<boolean>): Promise<PutOutcome> {
  if (await same(path)) return 'exists';
  throw new ConflictError(`object ${key} exists with other bytes (objects are written once)`);
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(absentAsUndefined)) !== undefined;
}

function absentAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR') return undefined;
  throw error;
}

/** Same bytes in two files: the same file (the default store keeps media where packaging wrote it) or equal content. */
async function sameFileBytes(a: string, b: string): Promise<boolean> {
  if ((await realpath(a)) === (await realpath(b))) return true;
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  const streamA = createReadStream(a, { highWaterMark: 1 << 20 });
  const handleB = await open(b, 'r');
  try {
    let offset = 0;
    for await (const chunk of streamA as AsyncIterable<Buffer>) {
      const other = Buffer.alloc(chunk.length);
      await handleB.read(other, 0, chunk.length, offset);
      if (!other.equals(chunk)) return false;
      offset += chunk.length;
    }
    return true;
  } finally {
    streamA.destroy();
    await handleB.close();
  }
}
