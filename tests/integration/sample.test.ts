import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSlateRuns } from '../../playlists/guide-items.ts';
import type { DaySnapshot } from '../../playlists/model.ts';
import { captionSegmentFileName } from '../../playlists/media-layout.ts';
import { startSample, type SampleSummary, type StagedSample } from '../../scheduler/sample/create-sample.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';
import { preparedAtMs, readPreparing } from '../../scheduler/store/preparing.ts';

/**
 * The sample end to end on a small scale (one grade channel, one day, 16 s lessons and 8 s fillers):
 * catalog and channels through the importers, slide videos made by stream copy and ingested as
 * pre-encoded renditions, the first channel-day published before the rest is packaged, and at the end
 * every lesson linked to a video as long as its catalog entry. The full sample is the same code with
 * real lengths (bench/sample.bench.ts measures it).
 */

const dataDir = mkdtempSync(join(tmpdir(), 'aerial-sample-'));
const nowMs = Date.UTC(2026, 11, 3, 1, 0); // Thursday 09:00 in Shanghai, autumn term
let db: Db;
let staged: StagedSample;
let stageOne: { preparing: string | undefined; packaged: number; days: number };
let final: SampleSummary;

beforeAll(async () => {
  db = openDb(dataDir);
  const options = {
    db,
    dataDir,
    clock: () => nowMs,
    days: 1,
    grades: [1],
    lessonSeconds: 16,
    fillerSeconds: 8,
    jobs: 2,
  };
  staged = await startSample(options);
  stageOne = {
    preparing: readPreparing(db),
    packaged: db.prepare("SELECT COUNT(*) FROM assets WHERE kind = 'lesson'").pluck().get() as number,
    days: db.prepare('SELECT COUNT(*) FROM day_snapshots').pluck().get() as number,
  };
  final = await staged.finish();
}, 170_000);
afterAll(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const snapshots = () =>
  (db.prepare('SELECT body FROM day_snapshots ORDER BY version').pluck().all() as string[]).map(
    (b) => JSON.parse(b) as DaySnapshot,
  );

describe('the sample', () => {
  it('publishes the first channel-day once its videos are packaged, and says what is still being prepared', () => {
    expect(staged.summary).toMatchObject({ alreadyComplete: false, channels: 1, lessons: 631, packagedFillers: 11 });
    expect(stageOne.days).toBe(1);
    expect(stageOne.packaged).toBe(staged.summary.packagedVideos);
    expect(staged.summary.packagedVideos).toBeLessThan(staged.summary.totalVideos);
    // Every slot of the day from now on has its video before going live (the 08:00 first run, already past, too:
    // its rerun airs this afternoon), so no slot waits and the build has nothing to warn about.
    expect([staged.summary.waitingSlots, staged.summary.waitingDays, staged.summary.warnings]).toEqual([0, 0, 0]);
    expect(stageOne.preparing).toBe(
      `sample: preparing ${staged.summary.totalVideos - staged.summary.packagedVideos} of ${staged.summary.totalVideos} (lesson videos; their slots show the slate until then)`,
    );
  });

  it('ends with every video packaged, nothing left to prepare, and the work directory gone', () => {
    expect(final.packagedVideos).toBe(final.totalVideos);
    expect(final.totalVideos).toBe(6); // G1: 语文 数学 道德与法治 音乐 美术 体育, one slide video each
    expect([final.waitingSlots, final.waitingDays]).toEqual([0, 0]);
    expect(readPreparing(db)).toBeUndefined();
    // When: the build warnings of day versions published until then are a staged start's, not faults.
    expect(preparedAtMs(db)).toBe(nowMs);
    expect(existsSync(join(dataDir, 'sample'))).toBe(false);
  });

  it('gives every lesson of a packaged video its true duration: media = catalog = guide', () => {
    const rows = db
      .prepare(
        `SELECT l.id, l.duration_s, a.duration_ms FROM lessons l JOIN assets a ON a.id = l.asset_id WHERE l.status = 'packaged'`,
      )
      .all() as { id: string; duration_s: number; duration_ms: number }[];
    expect(rows.length).toBeGreaterThan(100); // all primary lessons of the six subjects share the six videos
    for (const r of rows) expect([r.id, r.duration_ms]).toEqual([r.id, r.duration_s * 1000]);
    const day = snapshots().at(-1)!;
    const lessons = day.items.filter((i) => i.kind === 'lesson');
    expect(lessons.length).toBe(5);
    for (const item of lessons) {
      expect(item.durationMs).toBe(16_000);
      expect(item.title.zh.length).toBeGreaterThan(0);
    }
    expect(day.warnings.filter((w) => w.code === 'lesson-not-packaged' || w.code === 'asset-missing')).toEqual([]);
  });

  it('titles the guide like a timetable: eye exercises, calisthenics, breaks, lunch, off air at night', () => {
    const day = snapshots().at(-1)!;
    const titles = new Set(mergeSlateRuns(day.items).map((i) => `${i.kind} ${i.title.zh} / ${i.title.en}`));
    for (const title of [
      'filler 眼保健操 / Eye exercises',
      'filler 广播体操 / Calisthenics',
      'slate 课间休息 / Break',
      'slate 午间休息 / Lunch break',
      'slate 今日节目已结束 / Off air until tomorrow',
    ])
      expect(titles).toContain(title);
  });

  it('plays each off-air slot its card, a packaged still whose title is what the guide says', () => {
    const day = snapshots().at(-1)!;
    const offAir = day.items.filter((i) => i.kind === 'slate' && i.slotId !== undefined);
    expect(offAir.length).toBeGreaterThan(0);
    const cards = db.prepare("SELECT id, title_zh, segment_count FROM assets WHERE id LIKE 'card-%'").all() as {
      id: string;
      title_zh: string;
      segment_count: number;
    }[];
    const titleOf = new Map(cards.map((c) => [c.id, c.title_zh]));
    for (const item of offAir) expect([item.slotId, titleOf.get(item.assetId)]).toEqual([item.slotId, item.title.zh]);
    const close = offAir.filter((i) => i.slotId === 'close');
    expect(new Set(close.map((i) => i.assetId))).toEqual(new Set(['card-close']));
    expect(cards.find((c) => c.id === 'card-close')!.segment_count).toBe(60); // 60 one-second segments, looped
    for (const c of cards) expect(existsSync(join(dataDir, 'media', c.id))).toBe(true);
  });

  it('puts a zh caption track on each lesson video, a cue every 2.5 s', () => {
    const videos = db.prepare("SELECT id, segment_count FROM assets WHERE kind = 'lesson'").all() as {
      id: string;
      segment_count: number;
    }[];
    for (const v of videos) {
      const track = join(dataDir, 'media', v.id, 'sub-zh');
      expect(readdirSync(track)).toHaveLength(v.segment_count);
      expect(readFileSync(join(track, captionSegmentFileName(0)), 'utf8')).toMatch(
        /^WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\d+,LOCAL:00:00:00\.000\n[\s\S]*00:00:02\.500 --> /,
      );
    }
  });

  it('does nothing the second time, and the CLI refuses bad arguments with exit 2', async () => {
    const again = await startSample({ db, dataDir, clock: () => nowMs, days: 1, grades: [1] });
    expect(again.summary.alreadyComplete).toBe(true);
    const bad = spawnSync(process.execPath, ['bin/aerial.js', '--data', dataDir, 'sample', '--days', 'seven'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--days');
  });
});
