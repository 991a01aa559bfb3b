/**
 * `npm run gen:admin-api`: starts the real origin on an ephemeral port over an empty temp data directory,
 * fetches its `/openapi.json` and writes the generated client types (see admin-api-types.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createPackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import { createApp } from '../../scheduler/http/app.ts';
import { openDb } from '../../scheduler/store/db.ts';
import { adminApiTypes, SCHEMA_FILE } from './admin-api-types.ts';

/** The document the origin serves, fetched over HTTP from a throwaway instance. */
export async function fetchServedOpenApi(): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aerial-openapi-'));
  const db = openDb(dataDir);
  // The queue is never started: documenting the API runs no packaging.
  const packagingQueue = createPackagingQueue({ db, dataDir });
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: () => Date.now(),
    logger: pino({ level: 'silent' }),
    packagingQueue,
  });
  const server = app.listen(0, '127.0.0.1');
  try {
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
    return await response.json();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(SCHEMA_FILE, await adminApiTypes(await fetchServedOpenApi()));
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
