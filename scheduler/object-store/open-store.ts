import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { createFsStore } from './fs-store.ts';
import type { ObjectStore } from './object-store.ts';
import { createS3Store } from './s3-store.ts';

/**
 * The store a `--store` value names: `s3://bucket/prefix` (S3 driver, configured from `env`), or a
 * filesystem directory (a path, or a `file://` URL). Without a value, the data directory itself: today's
 * `<data>/media/` is then the store's media prefix and published objects go to `<data>/published/`.
 */
export function openObjectStore(value: string | undefined, dataDir: string, env: NodeJS.ProcessEnv): ObjectStore {
  if (value === undefined) return createFsStore(dataDir);
  if (value.startsWith('s3://')) return createS3Store(value, env);
  if (value.startsWith('file://')) return createFsStore(new URL(value).pathname);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError(`--store: '${value}' is neither s3://bucket/prefix nor a directory`);
  }
  if (value.trim() === '') throw new UsageError('--store: empty value (a directory or s3://bucket/prefix)');
  return createFsStore(isAbsolute(value) ? value : resolve(value));
}
