import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebVtt } from '../../packaging/webvtt.ts';
import { captionSegmentFileName } from '../../playlists/media-layout.ts';
import type { DaySnapshot } from '../../playlists/model.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aerial-sample-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function aerial(...args: string[]) {
  return spawnSync(process.execPath, ['bin/aerial.js', '--data', dataDir, ...args], {
    encoding: 'utf8',
    timeout: 170_000,
  });
}

describe('aerial sample', () => {
  // A small sample (one day, one first run per school day) keeps the suite fast; the full default is the same code.
  let first: ReturnType<typeof aerial>;
  beforeAll(() => {
    first = aerial('sample', '--days', '1', '--first-runs-per-day', '1', '--lesson-seconds', '6');
  });

  it('creates the catalog, packages what the published day airs, imports 12 channels and publishes', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('catalog: 631 lessons (631 added, 0 updated, 0 unchanged)');
    expect(first.stdout).toMatch(/sample ready in [\d.]+ s: 631 lessons in the catalog/);
    const db = new Database(join(dataDir, 'aerial.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM channels').pluck().get()).toBe(12);
      expect(db.prepare('SELECT COUNT(*) FROM lessons').pluck().get()).toBe(631);
      const kinds = db.prepare('SELECT kind, COUNT(*) AS n FROM assets GROUP BY kind ORDER BY kind').all();
      expect(kinds).toEqual([
        { kind: 'filler', n: 3 },
        { kind: 'lesson', n: expect.any(Number) },
        { kind: 'slate', n: 1 },
      ]);
      const days = (db.prepare('SELECT body FROM day_snapshots').pluck().all() as string[]).map(
        (b) => JSON.parse(b) as DaySnapshot,
      );
      expect(days).toHaveLength(12);
      const airedLessons = new Set(
        days.flatMap((d) => d.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId)),
      );
      const packaged = new Set(db.prepare("SELECT id FROM lessons WHERE status = 'packaged'").pluck().all());
      // Exactly the lessons the day airs were packaged, and nothing the day needed was missing.
      expect(packaged).toEqual(airedLessons);
      for (const day of days) {
        expect(day.warnings.filter((w) => w.code === 'lesson-not-packaged' || w.code === 'asset-missing')).toEqual([]);
        // Demo density: most of the broadcast day is programmes, not slate.
        const slateMs = day.items.filter((i) => i.kind === 'slate').reduce((n, i) => n + i.durationMs, 0);
        expect(slateMs / (day.endMs - day.startMs)).toBeLessThan(0.5);
      }
    } finally {
      db.close();
    }
  });

  it('gives every packaged lesson its zh caption track from the sample sidecars, and fillers none', () => {
    const db = new Database(join(dataDir, 'aerial.db'), { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT a.id, a.segment_count, l.title_zh, c.language, c.name, c.position
             FROM assets a JOIN lessons l ON l.asset_id = a.id LEFT JOIN asset_captions c ON c.asset_id = a.id
            WHERE a.kind = 'lesson' ORDER BY a.id`,
        )
        .all() as {
        id: string;
        segment_count: number;
        title_zh: string;
        language: string | null;
        name: string | null;
        position: number | null;
      }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row, row.id).toMatchObject({ language: 'zh', name: 'sub-zh', position: 0 });
        const track = join(dataDir, 'media', row.id, 'sub-zh');
        expect(readdirSync(track).sort()).toEqual(
          Array.from({ length: row.segment_count }, (_, i) => captionSegmentFileName(i)),
        );
        const first = readFileSync(join(track, captionSegmentFileName(0)), 'utf8');
        expect(first).toMatch(/^WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\d+,LOCAL:00:00:00\.000\n/);
        // 6 s clips: a greeting with the title at 0 s, the unit at 2.5 s, a goodbye at 5 s.
        const cues = parseWebVtt(first, row.id);
        expect(cues.map((c) => [c.startMs, c.endMs])).toEqual([
          [0, 2300],
          [2500, 4800],
          [5000, 6000],
        ]);
        expect(cues[0]!.text[1]).toBe(`同学们好！今天我们学习《${row.title_zh}》。`);
        expect(cues[1]!.text[0]).toMatch(/^这节课属于第\d+单元「.+」。$/);
      }
      expect(
        db
          .prepare("SELECT COUNT(*) FROM asset_captions c JOIN assets a ON a.id = c.asset_id WHERE a.kind <> 'lesson'")
          .pluck()
          .get(),
      ).toBe(0);
    } finally {
      db.close();
    }
  });

  it('does nothing the second time', () => {
    const second = aerial('sample', '--days', '1');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('sample data already present');
  });

  it('rejects bad arguments with exit 2, naming them', () => {
    const bad = aerial('sample', '--days', 'seven');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--days');
  });
});
