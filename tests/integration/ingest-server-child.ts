// Child process of ingest-upload.test.ts: the app with uploads and a packaging queue on a data dir, until
// killed (SIGKILL in the test). Prints the port it listens on.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { createPackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import { createUploads } from '../../scheduler/admin/uploads.ts';
import { systemClock } from '../../scheduler/clock.ts';
import { createApp } from '../../scheduler/http/app.ts';
import { openDb } from '../../scheduler/store/db.ts';
import { assetCatalogView } from './origin-fixtures.ts';

const dataDir = process.argv[2]!;
const db = openDb(dataDir);
const packaging = createPackagingQueue({ db, dataDir, clock: systemClock, concurrency: 1 });
packaging.start();
const uploads = createUploads({ db, dataDir, clock: systemClock, packaging, ladder: 'sample' });
const app = createApp({
  db,
  mediaDir: join(dataDir, 'media'),
  clock: systemClock,
  logger: pino({ level: 'silent' }),
  loadCatalog: assetCatalogView,
  packagingQueue: packaging,
  uploads,
  horizonDays: 1,
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
