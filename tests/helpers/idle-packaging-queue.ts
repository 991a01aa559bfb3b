import { dirname } from 'node:path';
import { createPackagingQueue, type PackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import type { Clock } from '../../scheduler/clock.ts';
import type { Db } from '../../scheduler/store/db.ts';

/**
 * A real packaging queue on `<mediaDir>/..` that is created but never started: what createApp needs
 * in tests that run no packaging jobs (enqueued jobs stay queued; nothing spawns ffmpeg).
 */
export function idlePackagingQueue(db: Db, mediaDir: string, clock?: Clock): PackagingQueue {
  return createPackagingQueue({ db, dataDir: dirname(mediaDir), ...(clock ? { clock } : {}) });
}
