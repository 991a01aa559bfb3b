import type { Readable } from 'node:stream';

/**
 * The object store: where everything immutable lives (packaged media, published day versions, asset
 * timelines) plus a few small mutable manifests that name the current versions. Two drivers implement it
 * (fs-store.ts: a directory, default `<data>/`; s3-store.ts: any S3-compatible bucket); open-store.ts picks
 * one from a `--store` value. The contract, checked against both drivers by the same test:
 *
 * - Keys are `/`-separated relative paths of [A-Za-z0-9._-] components (none `.`/`..`, none starting with
 *   `.`); checkKey names the fault.
 * - An immutable object is written once: `putImmutable` of an absent key writes it (readers see it whole or
 *   not at all); of a present key with the same bytes it is a no-op ('exists'); with other bytes it throws
 *   ConflictError and changes nothing. Callers key objects by their content (a hash, or an asset id, which
 *   packaging gives new content), so a writer that retries never conflicts.
 * - A manifest is small and mutable: `putManifest` replaces it atomically (a reader gets the old or the new
 *   bytes, never a mix). Writers put a manifest after every object it names, so a reader that follows a
 *   manifest finds everything it names.
 * - Reads of an absent key answer undefined (never throw for absence).
 */
export interface ObjectStore {
  /** Where it is, for logs and /healthz: `file:///abs/dir/` or `s3://bucket/prefix/`. */
  readonly url: string;
  /** The local directory behind `media/` when the driver is a filesystem (segments can be served from it). */
  readonly localRoot?: string;
  putImmutable(key: string, body: Uint8Array | string): Promise<PutOutcome>;
  /** As putImmutable, the bytes streamed from a local file (segments, sources). */
  putImmutableFile(key: string, filePath: string): Promise<PutOutcome>;
  putManifest(key: string, body: Uint8Array | string): Promise<void>;
  /** The whole object, or undefined. */
  get(key: string): Promise<Buffer | undefined>;
  /** The object (or the inclusive byte range of it) as a stream, or undefined. */
  stream(key: string, range?: ByteRange): Promise<Readable | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Keys under a prefix (e.g. `media/asset-1/`), in lexicographic order. */
  list(prefix: string): Promise<string[]>;
  /**
   * Removes an object (absent: nothing happens). Only the garbage collector calls it (`aerial store gc`, for
   * superseded day versions no manifest has named for a grace period): immutable objects are otherwise forever.
   */
  delete(key: string): Promise<void>;
}

export type PutOutcome = 'written' | 'exists';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface ObjectInfo {
  size: number;
  /** When the object was written (UTC ms). */
  modifiedMs: number;
}

const KEY_COMPONENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Why `key` is not a valid object key, or undefined when it is. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'an object key is not empty';
  for (const component of key.split('/')) {
    if (!KEY_COMPONENT.test(component) || component === '..') {
      return `'${component}' is not a valid key component (letters, digits, '.', '_', '-'; not starting with '.')`;
    }
  }
  return undefined;
}

/** Throws a plain Error naming the key and the fault: keys come from our code, not from users. */
export function checkKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new Error(`object key '${key}': ${problem}`);
  return key;
}

/** A prefix is a key's leading components followed by `/` (or empty: everything). */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  if (!prefix.endsWith('/')) throw new Error(`object key prefix '${prefix}' must end with '/'`);
  checkKey(prefix.slice(0, -1));
  return prefix;
}

export function toBuffer(body: Uint8Array | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.length);
}
