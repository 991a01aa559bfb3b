import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A real S3-protocol server (s3rver) on a free loopback port, with one bucket, in a temporary directory. */
export interface S3TestServer {
  bucket: string;
  /** The AWS_* variables a client (or an `aerial` child process) needs to reach it. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'aerial-test'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'aerial-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = (await server.run()) as AddressInfo;
  return {
    bucket,
    env: {
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${address.port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
