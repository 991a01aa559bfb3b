import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ConflictError, UsageError } from '../errors.ts';
import { checkKey, checkPrefix, toBuffer, type ByteRange, type ObjectStore, type PutOutcome } from './object-store.ts';

/**
 * The S3 driver, for any S3-compatible store (AWS, MinIO, Ceph, OSS, COS; s3rver in the tests): path-style
 * URLs and checksums only where the protocol requires them, which those servers need. Endpoint, region and
 * credentials come from the usual environment variables (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL,
 * AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; otherwise the SDK's own chain).
 * - A PUT is atomic: readers see the old object or the new one whole.
 * - Immutable objects are PUT with `If-None-Match: *` (stores that honour it refuse to replace; a 412 is
 *   "exists") after a HEAD; an existing object is compared by its MD5 ETag (or, for a multipart ETag, its bytes).
 */
export interface S3Location {
  bucket: string;
  /** '' or ending with '/'. */
  prefix: string;
}

/** `s3://bucket/prefix` → bucket and key prefix; a UsageError names what is wrong. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new UsageError(`--store: '${url}' is not s3://bucket[/prefix] (bucket: 3-63 of a-z 0-9 . -)`);
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  if (prefix !== '') checkKey(prefix);
  return { bucket: match[1]!, prefix: prefix === '' ? '' : `${prefix}/` };
}

const CONNECT_TIMEOUT_MS = 3_000;
const IDLE_SOCKET_TIMEOUT_MS = 15_000;

export function s3ClientConfig(env: NodeJS.ProcessEnv): S3ClientConfig {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const config: S3ClientConfig = {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A stalled connection must fail (and be retried at the next poll), never hang a reader forever.
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: IDLE_SOCKET_TIMEOUT_MS },
  };
  if (endpoint) config.endpoint = endpoint;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  }
  return config;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function absentAsUndefined(error: unknown): undefined {
  const name = (error as Error).name;
  if (statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound') return undefined;
  throw error;
}

/** A bucket and key prefix, reached through one client. */
interface Target {
  client: S3Client;
  bucket: string;
  prefix: string;
}

async function headObject(t: Target, key: string) {
  const answer = await t.client
    .send(new HeadObjectCommand({ Bucket: t.bucket, Key: t.prefix + checkKey(key) }))
    .catch(absentAsUndefined);
  return (
    answer && {
      size: answer.ContentLength ?? 0,
      etag: answer.ETag ?? '',
      modifiedMs: answer.LastModified?.getTime() ?? 0,
    }
  );
}

async function getObject(t: Target, key: string, range?: ByteRange) {
  const command = new GetObjectCommand({
    Bucket: t.bucket,
    Key: t.prefix + checkKey(key),
    ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
  });
  return t.client.send(command).catch(absentAsUndefined);
}

/** Whole reads made again when the connection is cut mid-answer (the SDK's retries end when the headers arrive). */
const READ_ATTEMPTS = 3;

/** A connection cut under a read: the answer's bytes stopped coming ('aborted'), or the socket was reset. */
function cutOff(error: unknown): boolean {
  const { message, code } = error as NodeJS.ErrnoException;
  return message === 'aborted' || message === 'socket hang up' || code === 'ECONNRESET' || code === 'EPIPE';
}

async function getBytes(t: Target, key: string): Promise<Buffer | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await getObject(t, key);
      return answer?.Body ? Buffer.from(await answer.Body.transformToByteArray()) : undefined;
    } catch (error) {
      if (attempt >= READ_ATTEMPTS || !cutOff(error)) throw error;
    }
  }
}

/** What putOnce writes: its MD5 (to compare with an ETag), size, a fresh body, and all bytes (for a multipart ETag). */
interface Upload {
  md5: string;
  size: number;
  body: () => Buffer | Readable;
  bytes: () => Promise<Buffer>;
}

async function compareExisting(t: Target, key: string, upload: Upload): Promise<PutOutcome> {
  const found = await headObject(t, key);
  if (!found) throw new Error(`object ${key}: the store refused to create it but does not have it`);
  const same = found.etag.includes('-')
    ? (await getBytes(t, key))?.equals(await upload.bytes())
    : found.etag === `"${upload.md5}"`;
  if (same) return 'exists';
  throw new ConflictError(`object ${key} exists with other bytes (objects are written once)`);
}

async function putOnce(t: Target, key: string, upload: Upload): Promise<PutOutcome> {
  if (await headObject(t, key)) return compareExisting(t, key, upload);
  const put = {
    Bucket: t.bucket,
    Key: t.prefix + key,
    Body: upload.body(),
    ContentLength: upload.size,
    IfNoneMatch: '*',
  };
  try {
    await t.client.send(new PutObjectCommand(put));
    return 'written';
  } catch (error) {
    if (statusOf(error) === 412 || statusOf(error) === 409) return compareExisting(t, key, upload);
    throw error;
  }
}

async function listKeys(t: Target, listPrefix: string): Promise<string[]> {
  const full = t.prefix + checkPrefix(listPrefix);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await t.client.send(
      new ListObjectsV2Command({ Bucket: t.bucket, Prefix: full, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(t.prefix.length));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function fileUpload(filePath: string): Promise<Upload> {
  const { size } = await stat(filePath);
  const hash = createHash('md5');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return {
    md5: hash.digest('hex'),
    size,
    body: () => createReadStream(filePath),
    bytes: async () => Buffer.concat(await createReadStream(filePath).toArray()),
  };
}

export function createS3Store(url: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const { bucket, prefix } = parseS3Url(url);
  const t: Target = { client: new S3Client(s3ClientConfig(env)), bucket, prefix };
  return {
    url: `s3://${bucket}/${prefix}`,
    async putImmutable(key, body) {
      const bytes = toBuffer(body);
      const md5 = createHash('md5').update(bytes).digest('hex');
      return putOnce(t, checkKey(key), { md5, size: bytes.length, body: () => bytes, bytes: async () => bytes });
    },
    async putImmutableFile(key, filePath) {
      return putOnce(t, checkKey(key), await fileUpload(filePath));
    },
    async putManifest(key, body) {
      const bytes = toBuffer(body);
      await t.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: prefix + checkKey(key), Body: bytes, ContentLength: bytes.length }),
      );
    },
    get: (key) => getBytes(t, key),
    async stream(key, range) {
      return (await getObject(t, key, range))?.Body as Readable | undefined;
    },
    async head(key) {
      const found = await headObject(t, key);
      return found && { size: found.size, modifiedMs: found.modifiedMs };
    },
    list: (listPrefix) => listKeys(t, listPrefix),
    async delete(key) {
      await t.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: prefix + checkKey(key) }));
    },
  };
}
