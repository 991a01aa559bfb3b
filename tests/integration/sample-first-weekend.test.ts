import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaySnapshot } from '../../playlists/model.ts';
import { startSample, type SampleSummary } from '../../scheduler/sample/create-sample.ts';
import { latestSnapshot } from '../../scheduler/schedule/snapshots-repository.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

/**
 * A sample started on a Thursday (injected clock) publishes its first days from that Thursday: its first
 * weekend's carousels, which would loop Mon–Wed and Thu (before the channel existed, so the slate all day), loop
 * the first whole school day it aired instead (the sample's one-off overrides). Small scale: one grade channel,
 * Thursday to Sunday, 16 s lessons and 8 s fillers.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'aerial-sample-weekend-'));
const nowMs = Date.UTC(2026, 11, 3, 1, 0); // Thursday 2026-12-03, 09:00 in Shanghai, autumn term
let db: Db;
let final: SampleSummary;

beforeAll(async () => {
  db = openDb(dataDir);
  const options = { db, dataDir, clock: () => nowMs, days: 4, grades: [2], lessonSeconds: 16, fillerSeconds: 8 };
  final = await (await startSample({ ...options, jobs: 2 })).finish();
}, 170_000);
afterAll(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const day = (date: string): DaySnapshot => latestSnapshot(db, 'g2', date)!;
const localHour = (d: DaySnapshot, ms: number) => new Date(ms + 8 * 3_600_000).getUTCHours();

describe('a sample started on a Thursday', () => {
  it('airs titled lessons in every carousel of its first Saturday and Sunday, those of its first whole day', () => {
    expect(final.publishedDays).toBe(4);
    const friday = new Set(
      day('2026-12-04')
        .items.filter((i) => i.kind === 'lesson')
        .map((i) => i.lessonId),
    );
    expect(friday.size).toBe(5);
    for (const date of ['2026-12-05', '2026-12-06']) {
      const snapshot = day(date);
      const reruns = snapshot.items.filter((i) => i.kind === 'rerun');
      for (const [from, to] of [
        [9, 12],
        [14, 17],
        [19, 21],
      ] as const) {
        const block = reruns.filter(
          (i) => localHour(snapshot, i.startMs) >= from && localHour(snapshot, i.startMs) < to,
        );
        expect(block.length, `${date} ${from}:00`).toBeGreaterThan(2);
        for (const r of block) {
          expect(friday).toContain(r.lessonId);
          expect(r.title.zh, `${date} ${r.lessonId}`).toMatch(/\S/);
        }
      }
      expect(snapshot.warnings.filter((w) => w.code === 'rerun-missing')).toEqual([]);
    }
    expect(final.warnings).toBe(0);
  });
});
