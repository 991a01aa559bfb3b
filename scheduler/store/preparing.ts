import type { Db } from './db.ts';
import { readSetting, writeSetting } from './settings.ts';

/**
 * What is still being prepared while the service already serves (for instance the sample's lessons,
 * packaged in the background after the first channel-days went live). Kept in the database, so any
 * process that serves (or `aerial sample` in another one) reads the same state; /healthz reports it.
 */
const KEY = 'preparing';
/** When the last preparation completed: day versions published until then may still carry its warnings. */
const DONE_KEY = 'prepared';

export interface Preparing {
  /** Who prepares (`sample`). */
  what: string;
  /** What its items are, for a console to say in its language (absent: media in general). */
  items?: 'lesson-videos';
  done: number;
  total: number;
  /** What the missing items mean for viewers, in English (the sentence /healthz gives). */
  note?: string;
}

export function writePreparing(db: Db, preparing: Preparing | undefined): void {
  writeSetting(db, KEY, preparing ?? null);
}

/** Nothing is being prepared any more, as of `atMs` (after the last publish that preparing took part in). */
export function markPrepared(db: Db, atMs: number): void {
  db.transaction(() => {
    writeSetting(db, KEY, null);
    writeSetting(db, DONE_KEY, { atMs });
  })();
}

/** When the last preparation completed (markPrepared), or undefined if none has. */
export function preparedAtMs(db: Db): number | undefined {
  return readSetting<{ atMs: number } | null>(db, DONE_KEY)?.atMs;
}

/** `sample: preparing 12 of 30 …`, or undefined when nothing is being prepared. */
export function readPreparing(db: Db): string | undefined {
  const p = readPreparingFacts(db);
  if (!p) return undefined;
  return `${p.what}: preparing ${p.total - p.done} of ${p.total}${p.note ? ` (${p.note})` : ''}`;
}

/** What is being prepared, as stored (facts for a console to word), or undefined when nothing is. */
export function readPreparingFacts(db: Db): Preparing | undefined {
  return readSetting<Preparing | null>(db, KEY) ?? undefined;
}
