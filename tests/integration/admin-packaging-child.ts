// Child process of admin-packaging.test.ts: runs a packaging queue on a data dir until killed.
import { createPackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import { openDb } from '../../scheduler/store/db.ts';

const dataDir = process.argv[2]!;
const db = openDb(dataDir);
createPackagingQueue({ db, dataDir, concurrency: 1 }).start();
process.stdout.write('started\n');
