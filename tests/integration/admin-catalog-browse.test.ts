/**
 * The editor's catalog routes: every lesson with its packaging state and failure reason (filtered by course,
 * volume, state and text; paged), the course tree with packaging counts, and the export downloads (CSV and
 * JSON) that the import takes back unchanged, and the packaged fillers an override may name. Bad parameters are
 * 400s naming them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { startAdminWorld, type AdminWorld } from './admin-fixtures.ts';
import { insertAsset } from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:05:10Z');
let world: AdminWorld;

const CSV = [
  'id,grade,subject,edition,volume,unit,unitTitleZh,lesson,titleZh,titleEn,teacher,captions,source',
  'g3-math-1,3,math,pep,1,1,数与代数,1,认识数字,Numbers,王老师,zh;en,/srv/a.mp4',
  'g3-math-2,3,math,pep,1,1,数与代数,2,"加法, 减法",,,,/srv/b.mp4',
  'g3-math-3,3,math,pep,2,1,图形,1,"三角形 ""初识""",,,,',
  'g3-chinese-1,3,chinese,tongbian,1,1,识字,1,春夏秋冬,,,,',
].join('\n');

const get = (path: string) => world.call('GET', path, { token: world.tokens.editor });

beforeAll(async () => {
  world = await startAdminWorld(fixedClock(NOW), { publishFrom: '2026-11-22', publishDays: 1, publishAtMs: NOW });
  const imported = await world.call('POST', '/api/admin/catalog/import', {
    token: world.tokens.editor,
    raw: CSV,
    contentType: 'text/csv',
  });
  expect(imported.status).toBe(200);
  world.data.db
    .prepare("UPDATE lessons SET status = 'failed', failure_reason = 'ffmpeg: no video stream' WHERE id = ?")
    .run('g3-math-2');
});
afterAll(async () => {
  await world?.close();
});

describe('browse', () => {
  it('lists every lesson in textbook order with its packaging state and failure reason', async () => {
    const all = await get('/api/admin/catalog/lessons');
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(4);
    expect(all.json.lessons.map((l: any) => l.id)).toEqual(['g3-chinese-1', 'g3-math-1', 'g3-math-2', 'g3-math-3']);
    expect(all.json.lessons[2]).toMatchObject({ status: 'failed', failureReason: 'ffmpeg: no video stream' });
    expect(all.json.lessons[1]).toMatchObject({ status: 'registered', captions: ['zh', 'en'], teacher: '王老师' });
  });

  it('filters by course, volume, state and text, and pages', async () => {
    const volume = await get('/api/admin/catalog/lessons?grade=3&subject=math&edition=pep&volume=1');
    expect(volume.json.lessons.map((l: any) => l.id)).toEqual(['g3-math-1', 'g3-math-2']);
    const failed = await get('/api/admin/catalog/lessons?status=failed');
    expect(failed.json.lessons.map((l: any) => l.id)).toEqual(['g3-math-2']);
    const text = await get(`/api/admin/catalog/lessons?q=${encodeURIComponent('春夏')}`);
    expect(text.json.lessons.map((l: any) => l.id)).toEqual(['g3-chinese-1']);
    const page = await get('/api/admin/catalog/lessons?offset=1&limit=2');
    expect(page.json).toMatchObject({ total: 4, offset: 1, limit: 2 });
    expect(page.json.lessons.map((l: any) => l.id)).toEqual(['g3-math-1', 'g3-math-2']);
  });

  it('answers the course tree with packaging counts, subjects in guide order', async () => {
    const { json } = await get('/api/admin/catalog/volumes');
    expect(json.volumes).toEqual([
      expect.objectContaining({
        grade: 3,
        subject: 'chinese',
        subjectName: { zh: '语文', en: 'Chinese' },
        edition: 'tongbian',
        volume: 1,
        lessons: 1,
        registered: 1,
      }),
      expect.objectContaining({ subject: 'math', volume: 1, volumeName: { zh: '上册', en: 'Volume 1' }, failed: 1 }),
      expect.objectContaining({ subject: 'math', volume: 2, lessons: 1, packaged: 0 }),
    ]);
  });

  it('names a bad parameter', async () => {
    for (const [query, field] of [
      ['grade=13', 'grade'],
      ['status=done', 'status'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour'],
    ]) {
      const bad = await get(`/api/admin/catalog/lessons?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.json.problems[0].field).toBe(field);
    }
  });
});

describe('fillers', () => {
  it('lists the packaged fillers, not lessons or the slate', async () => {
    insertAsset(world.data.db, { id: 'eye-exercise', kind: 'filler', title: '眼保健操', segmentMs: [6000, 4000] });
    const { json } = await get('/api/admin/catalog/fillers');
    expect(json.fillers).toEqual([
      { id: 'eye-exercise', title: { zh: '眼保健操', en: '眼保健操' }, durationMs: 10_000 },
    ]);
  });
});

describe('cards', () => {
  it('lists the packaged stills off-air slots show (the slate and the off-air cards), with their titles', async () => {
    insertAsset(world.data.db, { id: 'card-close', kind: 'slate', title: '今日节目已结束', segmentMs: [1000] });
    insertAsset(world.data.db, { id: 'ident-card', kind: 'filler', title: '空中课堂', segmentMs: [1000] });
    const { json } = await get('/api/admin/catalog/cards');
    const slates = world.data.db.prepare("SELECT id FROM assets WHERE kind = 'slate' ORDER BY id").pluck().all();
    expect(json.cards.map((c: { id: string }) => c.id)).toEqual(slates);
    expect(json.cards).toContainEqual({
      id: 'card-close',
      title: { zh: '今日节目已结束', en: '今日节目已结束' },
      durationMs: 1000,
    });
  });
});

describe('export', () => {
  it('downloads CSV and JSON that import back with nothing changed', async () => {
    const lessonRows = () => JSON.stringify(world.data.db.prepare('SELECT * FROM lessons ORDER BY id').all());
    const before = lessonRows();
    for (const format of ['csv', 'json'] as const) {
      const file = await get(`/api/admin/catalog/export?format=${format}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toBe(`attachment; filename="catalog.${format}"`);
      expect(file.headers.get('content-type')).toContain(format === 'csv' ? 'text/csv' : 'application/json');
      const again = await world.call('POST', `/api/admin/catalog/import?name=export.${format}`, {
        token: world.tokens.editor,
        raw: file.text,
        contentType: format === 'csv' ? 'text/csv' : 'application/json',
      });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ lessons: 4, added: [], updated: [] });
    }
    const csv = (await get('/api/admin/catalog/export?format=csv')).text;
    expect(csv.split('\r\n')[0]).toBe(
      'id,grade,subject,edition,volume,unit,unitTitleZh,unitTitleEn,lesson,titleZh,titleEn,teacher,durationS,captions,source',
    );
    expect(csv).toContain('"加法, 减法"');
    expect(csv).toContain('"三角形 ""初识"""');
    expect(csv).toContain('zh;en');
    // Importing the exports changed no lesson (nor its packaging state).
    expect(lessonRows()).toBe(before);
    expect(before).toContain('ffmpeg: no video stream');
    expect((await get('/api/admin/catalog/export?format=xml')).json.problems[0].field).toBe('format');
  });
});
