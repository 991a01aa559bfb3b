import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogView } from '../../scheduler/catalog/catalog-view.ts';
import { countLessons, listLessons, upsertLessons } from '../../scheduler/catalog/lessons-repository.ts';
import { generateLargeCatalog } from '../../scheduler/sample/curriculum.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerial-view-'));
  db = openDb(dir);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

// Asset rows are written by the packaging pipeline; the fixture writes one directly.
function insertAsset(id: string, lessonId: string | null, segmentMs: number[]) {
  db.prepare(
    `INSERT INTO assets (id, kind, lesson_id, title_zh, title_en, ladder, canonical_rendition, segment_count, duration_ms, segment_ms, packaged_at)
     VALUES (?, ?, ?, ?, NULL, 'sample', '360p', ?, ?, ?, 0)`,
  ).run(
    id,
    lessonId ? 'lesson' : 'filler',
    lessonId,
    `素材 ${id}`,
    segmentMs.length,
    segmentMs.reduce((a, b) => a + b, 0),
    JSON.stringify(segmentMs),
  );
}

describe('loadCatalogView', () => {
  it('gives courses in textbook order, lessons by id, and assets only for packaged lessons whose asset exists', () => {
    const records = generateLargeCatalog(400);
    // Store in reverse so the order must come from the view, not from insertion.
    upsertLessons(db, [...records].reverse());
    const [first, second, third] = records;
    insertAsset('asset-1', first!.id, [6000, 6000, 4000]);
    insertAsset('asset-2', second!.id, [6000]);
    insertAsset('eye-exercises', null, [6000, 6000]);
    db.prepare(`UPDATE lessons SET status = 'packaged', asset_id = 'asset-1' WHERE id = ?`).run(first!.id);
    db.prepare(
      `UPDATE lessons SET status = 'failed', failure_reason = 'no audio', asset_id = 'asset-2' WHERE id = ?`,
    ).run(second!.id);
    db.prepare(`UPDATE lessons SET status = 'packaged', asset_id = 'gone' WHERE id = ?`).run(third!.id);

    const view = loadCatalogView(db);
    const course = view.courseLessons(first!.grade, first!.subject, first!.edition);
    expect(course.map((l) => l.id)).toEqual(
      records
        .filter((r) => r.grade === first!.grade && r.subject === first!.subject && r.edition === first!.edition)
        .map((r) => r.id),
    );
    expect(course.map((l) => [l.volume, l.unit, l.lesson]).slice(7, 10)).toEqual([
      [1, 1, 8],
      [1, 2, 1],
      [1, 2, 2],
    ]);
    expect(view.lesson(first!.id)).toEqual({
      id: first!.id,
      grade: 1,
      subject: 'chinese',
      edition: 'pep',
      volume: 1,
      unit: 1,
      lesson: 1,
      title: { zh: '第1单元 第1课', en: 'Unit 1 Lesson 1' },
      unitTitle: { zh: '第1单元', en: 'Unit 1' },
      assetId: 'asset-1',
    });
    expect(view.lesson(second!.id)!.assetId).toBeUndefined();
    expect(view.lesson(third!.id)!.assetId).toBeUndefined();
    expect(view.asset('asset-1')).toEqual({
      id: 'asset-1',
      kind: 'lesson',
      title: { zh: '素材 asset-1' },
      ladder: 'sample',
      segmentMs: [6000, 6000, 4000],
      durationMs: 16000,
    });
    expect(view.asset('eye-exercises')!.kind).toBe('filler');
    expect(view.asset('asset-1')).toBe(view.asset('asset-1'));
    expect(view.asset('nope')).toBeUndefined();
    expect(view.courseLessons(1, 'chinese', 'no-such-edition')).toEqual([]);
  });

  it('is a snapshot: later catalog changes do not show through', () => {
    upsertLessons(db, generateLargeCatalog(3));
    const view = loadCatalogView(db);
    upsertLessons(db, generateLargeCatalog(5));
    expect(view.courseLessons(1, 'chinese', 'pep')).toHaveLength(3);
  });
});

describe('listLessons', () => {
  it('filters by grade, subject, edition and text, in textbook order, with paging', () => {
    upsertLessons(db, generateLargeCatalog(2000));
    const grade2Math = listLessons(db, { grade: 2, subject: 'math', edition: 'pep' });
    expect(grade2Math).toHaveLength(160);
    expect(grade2Math.every((l) => l.grade === 2 && l.subject === 'math')).toBe(true);
    expect(
      listLessons(db, { grade: 2, subject: 'math', query: 'unit 10 lesson 8' }).map((l) => [
        l.volume,
        l.unit,
        l.lesson,
      ]),
    ).toEqual([
      [1, 10, 8],
      [2, 10, 8],
    ]);
    expect(listLessons(db, { query: '第3单元 第2课', grade: 1, subject: 'chinese' })).toHaveLength(2);
    expect(listLessons(db, { query: '100%_' })).toEqual([]);
    const page = listLessons(db, { grade: 2, subject: 'math', limit: 5, offset: 8 });
    expect(page.map((l) => l.id)).toEqual(grade2Math.slice(8, 13).map((l) => l.id));
    expect(countLessons(db)).toBe(2000);
  });
});
